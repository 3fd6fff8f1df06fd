using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Configuration;

public static class OptionsMonitorDelayExtensions
{
    /// <summary>
    /// A background loop's pause: the <paramref name="interval"/> of the current options, ended early when the options
    /// are reloaded (any write of the settings file), so a changed interval applies at once instead of after the old one
    /// ran out. Returns normally when <paramref name="cancellationToken"/> is cancelled; the caller's loop checks it.
    /// </summary>
    public static async Task DelayUnlessReloadedAsync<TOptions>(this IOptionsMonitor<TOptions> options, Func<TOptions, TimeSpan> interval,
        TimeProvider time, CancellationToken cancellationToken)
    {
        // Not disposed: a reload's callback may still cancel it after this wait; it holds no timer.
        var reloaded = new CancellationTokenSource();
        using var subscription = options.OnChange(_ => reloaded.Cancel());
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, reloaded.Token);
        await Task.Delay(interval(options.CurrentValue), time, wait.Token).ContinueWith(_ => { }, CancellationToken.None);
    }
}
