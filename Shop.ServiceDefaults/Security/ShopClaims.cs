namespace Shop.ServiceDefaults.Security;

public static class ShopClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Role = "role";

    public const string AdminRole = "admin";
    public const string CustomerRole = "customer";

    /// <summary>Authorization policy satisfied by tokens whose role is admin.</summary>
    public const string AdminPolicy = "admin";
}
