namespace Shop.ServiceDefaults.Security;

public static class ShopClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";

    /// <summary>The session: the refresh-token family the access token was issued in (ends with logout or reuse).</summary>
    public const string SessionId = "sid";

    /// <summary>The account's security version when the token was issued (integer); see AccountTokenValidator.</summary>
    public const string SecurityVersion = "sstamp";

    public const string AdminRole = "admin";
    public const string CustomerRole = "customer";

    /// <summary>Authorization policy satisfied by tokens whose role is admin.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>
    /// Authorization policy for endpoints that serve anonymous callers too (the basket): satisfied by a valid token or
    /// by no Authorization header at all, so a bad or expired token is a 401, never a silent anonymous answer. The
    /// OpenAPI documents state it as an optional bearer requirement.
    /// </summary>
    public const string OptionalTokenPolicy = "optional-token";
}
