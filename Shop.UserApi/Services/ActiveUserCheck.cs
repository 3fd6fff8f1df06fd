using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Infrastructure;

namespace Shop.UserApi.Services;

public sealed class ActiveUserCacheOptions
{
    public const string SectionName = "ActiveUserCache";

    /// <summary>How long an answer is reused. Deactivation clears it at once on the replica that handled it.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Makes tokens of deactivated (or deleted) users stop validating: a cached lookup of the user's state.</summary>
public sealed class ActiveUserCheck(UsersDbContext db, IMemoryCache cache, IOptionsMonitor<ActiveUserCacheOptions> options) : IActiveUserCheck
{
    public async ValueTask<bool> IsActiveAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(userId), out bool active)) return active;

        active = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => u.Active)
            .FirstOrDefaultAsync(cancellationToken);
        cache.Set(Key(userId), active, options.CurrentValue.Duration);
        return active;
    }

    public void Forget(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => $"active-user:{userId}";
}
