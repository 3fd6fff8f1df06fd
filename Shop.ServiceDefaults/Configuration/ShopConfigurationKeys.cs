using Shop.ServiceDefaults.Security;

namespace Shop.ServiceDefaults.Configuration;

/// <summary>
/// Configuration keys that cross a project boundary: the AppHost sets them on a service, the service reads them.
/// Keys are ':'-separated as in IConfiguration; <see cref="ToEnvironmentVariable"/> gives the name a process gets.
/// </summary>
public static class ShopConfigurationKeys
{
    /// <summary>Path of the shared, live-reloaded tunables file (see <see cref="ShopSettingsFileExtensions"/>).</summary>
    public const string SettingsFile = "SHOP_SETTINGS_FILE";

    /// <summary>The key every service validates access tokens with (and user-api signs them with).</summary>
    public const string JwtSigningKey = JwtOptions.SectionName + ":" + nameof(JwtOptions.SigningKey);

    /// <summary>The admin account user-api seeds when it does not exist yet.</summary>
    public const string AdminEmail = "Admin:Email";

    /// <inheritdoc cref="AdminEmail"/>
    public const string AdminPassword = "Admin:Password";

    /// <summary>
    /// The secret the storefront proves itself to the gateway with (sent as <see cref="Http.ShopHeaders.StorefrontSecret"/>),
    /// as the storefront reads it; the gateway reads the same value as <see cref="GatewayStorefrontSecret"/>.
    /// </summary>
    public const string StorefrontSecret = "Storefront:Secret";

    /// <inheritdoc cref="StorefrontSecret"/>
    public const string GatewayStorefrontSecret = "Gateway:Storefront:Secret";

    /// <summary>The environment variable that sets <paramref name="key"/> ("A:B" → "A__B").</summary>
    public static string ToEnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
