namespace Shop.Tests.Infrastructure;

/// <summary>Polls a condition that converges (a restart, a cache invalidation, a consumer catching up).</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> accept, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        Exception? lastError = null;
        do
        {
            try
            {
                last = await probe();
                if (accept(last)) return last;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                lastError = ex;
            }
            await Task.Delay(250);
        } while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Not reached within {timeout}: {because}; last seen: {last}", lastError);
    }
}
