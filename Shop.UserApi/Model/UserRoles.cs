using Shop.ServiceDefaults.Security;

namespace Shop.UserApi.Model;

public static class UserRoles
{
    public static readonly IReadOnlyList<string> All = [ShopClaims.CustomerRole, ShopClaims.AdminRole];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
