namespace Shop.ServiceDefaults.Security;

/// <summary>
/// Optional hook for <see cref="JwtAuthenticationExtensions.AddShopJwtAuthentication{TBuilder}"/>: a service that can
/// tell whether a token's user may still act (UserApi knows deactivated users) registers one, and tokens of users it
/// refuses stop validating there. Services without one accept any well-signed, unexpired token.
/// </summary>
public interface IActiveUserCheck
{
    ValueTask<bool> IsActiveAsync(Guid userId, CancellationToken cancellationToken);
}
