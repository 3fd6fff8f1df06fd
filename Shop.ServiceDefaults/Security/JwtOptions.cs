namespace Shop.ServiceDefaults.Security;

/// <summary>Token settings shared by the issuer (UserApi) and every validator; bound from the "Jwt" section.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "shop-user-api";
    public string Audience { get; set; } = "shop";

    /// <summary>HS256 key (UTF-8, at least 32 bytes). The AppHost generates it as a secret parameter.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Lifetime of an access token (live setting). Short: a token is only refreshed, never extended.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lifetime of a refresh token (live setting); each refresh rotates it and starts a new lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
