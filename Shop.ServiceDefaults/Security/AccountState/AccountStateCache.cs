using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>This process's copy of account states: read on every authenticated request, kept fresh by the Redis channel.</summary>
public sealed class AccountStateCache(IOptionsMonitor<AccountStateOptions> options) : IDisposable
{
    private const int MaxEntries = 200_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    private readonly Lock _writes = new();

    public AccountSecurityState? Get(Guid userId) =>
        _entries.TryGetValue(userId, out AccountSecurityState? state) ? state : null;

    /// <summary>Stores what was learnt merged with what is known (see <see cref="AccountSecurityState.Merge"/>); returns the result.</summary>
    public AccountSecurityState Merge(Guid userId, AccountSecurityState learnt)
    {
        lock (_writes)
        {
            var merged = Get(userId)?.Merge(learnt) ?? learnt;
            _entries.Set(userId, merged, new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = options.CurrentValue.LocalTtl,
                Size = 1,
            });
            return merged;
        }
    }

    public void Remove(Guid userId)
    {
        lock (_writes) _entries.Remove(userId);
    }

    /// <summary>After a lost connection to Redis: changes published meanwhile were missed, so nothing known is trusted.</summary>
    public void Clear()
    {
        lock (_writes) _entries.Clear();
    }

    public void Dispose() => _entries.Dispose();
}
