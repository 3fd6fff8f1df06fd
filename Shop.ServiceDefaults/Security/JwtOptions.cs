namespace Shop.ServiceDefaults.Security;

/// <summary>Token settings shared by the issuer (UserApi) and every validator; bound from the "Jwt" section.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "shop-user-api";
    public string Audience { get; set; } = "shop";

    /// <summary>HS256 key (UTF-8, at least 32 bytes). The AppHost generates it as a secret parameter.</summary>
    public string SigningKey { get; set; } = "";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
