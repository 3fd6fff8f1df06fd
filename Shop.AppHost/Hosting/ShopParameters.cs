namespace Shop.AppHost.Hosting;

/// <summary>
/// Names of the AppHost's parameters (<c>Parameters:&lt;name&gt;</c> in its configuration or user secrets). The secret
/// ones are generated on first run and persisted, never committed; the tests and the benchmarks read their values
/// from the running app's model by these names.
/// </summary>
public static class ShopParameters
{
    /// <summary>The HMAC key (64 characters) user-api signs access tokens with and every service validates them with.</summary>
    public const string JwtSigningKey = "jwt-signing-key";

    /// <summary>The local PostgreSQL server's superuser password (24 characters, generated).</summary>
    public const string PostgresPassword = "postgres-password";

    /// <summary>Email of the admin account user-api seeds when it does not exist yet.</summary>
    public const string AdminEmail = "admin-email";

    /// <summary>Password of that admin account (20 characters, generated).</summary>
    public const string AdminPassword = "admin-password";

    /// <summary>The secret the storefront proves itself to the gateway with, so the gateway trusts its X-Forwarded-For.</summary>
    public const string StorefrontSecret = "storefront-secret";
}
