namespace Shop.Tests.Infrastructure;

/// <summary>Calls made at the same moment, for races: each waits at one gate, opened once every call has started.</summary>
public static class AllAtOnce
{
    /// <summary>The call made <paramref name="count"/> times at once, each with its index.</summary>
    public static Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> call) => RunAsync(Enumerable.Range(0, count), (_, i) => call(i));

    /// <summary>The call made for every item at once, each with the item and its index.</summary>
    public static async Task<T[]> RunAsync<TItem, T>(IEnumerable<TItem> items, Func<TItem, int, Task<T>> call)
    {
        using var start = new SemaphoreSlim(0);
        var calls = items.Select(async (item, i) =>
        {
            await start.WaitAsync();
            return await call(item, i);
        }).ToList();
        if (calls.Count > 0) start.Release(calls.Count);
        return await Task.WhenAll(calls);
    }
}
