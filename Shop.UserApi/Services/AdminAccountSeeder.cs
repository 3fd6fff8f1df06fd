using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Infrastructure;

namespace Shop.UserApi.Services;

/// <summary>Seeds the admin account from configuration (Admin:Email, Admin:Password) when it does not exist yet.</summary>
public sealed class AdminAccountSeeder(UserAccounts accounts, IConfiguration configuration, ILogger<AdminAccountSeeder> logger)
    : IDbSeeder<UsersDbContext>
{
    public async Task SeedAsync(UsersDbContext context, CancellationToken cancellationToken)
    {
        var email = configuration[ShopConfigurationKeys.AdminEmail];
        var password = configuration[ShopConfigurationKeys.AdminPassword];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            logger.LogWarning("Admin:Email / Admin:Password are not configured: no admin account is seeded");
            return;
        }

        try
        {
            var admin = await accounts.RegisterAsync(email, password, "Administrator", null, ShopClaims.AdminRole, cancellationToken);
            logger.LogInformation("Seeded the admin account {UserId}", admin.Id);
        }
        catch (DuplicateRefusal)
        {
            // Seeded by an earlier start.
        }
        catch (InvalidRefusal invalid)
        {
            logger.LogError("The configured admin account is invalid: {Errors}",
                string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
    }
}
