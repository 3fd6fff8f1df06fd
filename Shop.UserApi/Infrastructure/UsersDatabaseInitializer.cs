using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Services;

namespace Shop.UserApi.Infrastructure;

/// <summary>
/// Applies the committed migrations and seeds the admin account. Replicas starting together serialise on a
/// PostgreSQL advisory lock, so only one migrates and seeds at a time and the others then find nothing to do.
/// </summary>
public sealed class UsersDatabaseInitializer(UsersDbContext db, UserAccounts accounts, IConfiguration configuration,
    ILogger<UsersDatabaseInitializer> logger)
{
    // Any constant unique among the locks taken on usersdb.
    private const long MigrationLockKey = 0x5573657273417069; // "UsersApi"

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // One open connection: the session-level lock belongs to it and is released when it closes.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
                await SeedAdminAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task SeedAdminAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            logger.LogWarning("Admin:Email / Admin:Password are not configured: no admin account is seeded");
            return;
        }

        var result = await accounts.RegisterAsync(email, password, "Administrator", null, ShopClaims.AdminRole, cancellationToken);
        switch (result)
        {
            case RegistrationResult.Created(var admin):
                logger.LogInformation("Seeded the admin account {UserId}", admin.Id);
                break;
            case RegistrationResult.Invalid(var errors):
                logger.LogError("The configured admin account is invalid: {Errors}",
                    string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
                break;
        }
    }
}
