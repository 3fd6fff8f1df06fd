using Microsoft.Playwright;

namespace Shop.Tests.Browser;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium, installed by ./shop; Playwright never downloads a browser) for a
/// test collection, launched by the first browser test and closed with the collection's app. Each test works in
/// browser contexts of its own (cookies, storage), so sharing the process shares no state; starting Playwright's
/// driver and a Chromium for every test cost seconds each.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly SemaphoreSlim _launching = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser, launched on first use (or again, if it has exited).</summary>
    public async Task<IBrowser> GetAsync()
    {
        await _launching.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true } running) return running;
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Chromium's sandbox refuses to run as root (CI runs as root).
                Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
            });
            return _browser;
        }
        finally
        {
            _launching.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_browser is not null) await _browser.DisposeAsync();
        }
        finally
        {
            _playwright?.Dispose();
            _launching.Dispose();
        }
    }
}
