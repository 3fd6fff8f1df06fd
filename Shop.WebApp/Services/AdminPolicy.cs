using Shop.ServiceDefaults.Security;

namespace Shop.WebApp.Services;

/// <summary>
/// The storefront's admin area (<c>/admin</c>): open to an account whose token carries the role claim <c>admin</c>
/// (user-api seeds one from the AppHost's admin-email / admin-password parameters). The services check the same
/// role on their admin operations; this policy only decides which pages are shown.
/// </summary>
public static class AdminPolicy
{
    public const string Name = ShopClaims.AdminPolicy;
    public const string Role = ShopClaims.AdminRole;
}
