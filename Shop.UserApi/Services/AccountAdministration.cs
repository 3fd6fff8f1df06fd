using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Validation;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// What an admin does to accounts: list, read, change the role, deactivate. A change to the role or the active flag
/// is published (<see cref="AccountStatePublication"/>), so the account's access tokens stop validating everywhere
/// within seconds. An unknown id is a <see cref="NotFoundRefusal"/>. An admin changes other accounts only: their own
/// role or deactivation is a <see cref="ConflictRefusal"/> ("Own Account"), so the back office is never left without the
/// admin who was using it (another admin can make the change).
/// </summary>
public sealed class AccountAdministration(
    UsersDbContext db,
    UserAccounts accounts,
    Sessions sessions,
    AccountStatePublication publication,
    TimeProvider time,
    ILogger<AccountAdministration> logger)
{
    /// <summary>Accounts, oldest first.</summary>
    public Task<Page<User>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .ToPageAsync(page, cancellationToken);

    /// <summary>A new role ends the account's access tokens everywhere (their role claim is stale); a refresh gets the new role.</summary>
    public async Task<User> ChangeRoleAsync(Guid id, string role, Guid callerId, CancellationToken cancellationToken)
    {
        RefuseOwnAccount(id, callerId, "change the role of");
        var user = await accounts.GetAsync(id, tracking: true, cancellationToken);
        var version = user.SecurityVersion;
        user.ChangeRole(role, time.GetUtcNow());
        if (user.SecurityVersion != version)
        {
            await publication.BeforeChangeAsync(id);
            await db.SaveChangesAsync(CancellationToken.None);
            await publication.AfterChangeAsync(id);
        }
        return user;
    }

    /// <summary>Ends every session and access token of the account everywhere within seconds; an inactive account stays as it is.</summary>
    public async Task DeactivateAsync(Guid id, Guid callerId, CancellationToken cancellationToken)
    {
        RefuseOwnAccount(id, callerId, "deactivate");
        var user = await accounts.GetAsync(id, tracking: true, cancellationToken);
        if (!user.Active) return;

        user.Deactivate(time.GetUtcNow());
        await publication.BeforeChangeAsync(id);
        // Not the request's token: once the change starts, its publication must follow. The refresh tokens are revoked
        // after the commit; a refresh in between is refused anyway (the account is inactive).
        await db.SaveChangesAsync(CancellationToken.None);
        await sessions.RevokeAllAsync(id, CancellationToken.None);
        await publication.AfterChangeAsync(id);
        logger.LogInformation("Deactivated user {UserId}", id);
    }

    private static void RefuseOwnAccount(Guid id, Guid callerId, string action)
    {
        if (id == callerId)
        {
            throw new ConflictRefusal($"An admin cannot {action} their own account; another admin can.", OwnAccountTitle);
        }
    }

    /// <summary>The title of the refusal of an admin's change to their own account.</summary>
    public const string OwnAccountTitle = "Own Account";
}
