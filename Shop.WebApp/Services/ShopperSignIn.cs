using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Shop.WebApp.Clients;
using Shop.WebApp.Clients.Basket;
using Shop.WebApp.Clients.Users;

namespace Shop.WebApp.Services;

/// <summary>
/// Signs a shopper in with user-api's login (through the gateway), keeps the tokens in the auth cookie, and merges the
/// anonymous cart into the account's (then forgets the cart cookie). Errors are <see cref="ApiException"/> (401 wrong
/// email/password, 429 throttled with Retry-After).
/// </summary>
public sealed class ShopperSignIn(IHttpContextAccessor accessor, UsersClient users, BasketClient basket, TimeProvider time, ILogger<ShopperSignIn> logger)
{
    public async Task SignInAsync(string email, string password)
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("Sign-in needs the page's request.");
        var pair = await users.LoginAsync(new LoginRequest { Email = email, Password = password });
        var tokens = SessionTokens.FromLogin(pair.AccessToken, pair.RefreshToken, pair.ExpiresIn, time);
        context.Items[SessionTokens.CurrentItem] = tokens;

        var properties = new AuthenticationProperties { IsPersistent = true };
        tokens.StoreIn(properties);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, tokens.ToPrincipal(), properties);

        if (CartCookie.Read(context) is { Length: > 0 } cartId)
        {
            try
            {
                await basket.MergeBasketAsync(new MergeRequest { CartId = cartId });
                CartCookie.Delete(context);
            }
            catch (ApiException e)
            {
                // The anonymous cart stays in its cookie; the next sign-in merges it.
                logger.LogWarning("Merging the anonymous cart at sign-in failed with {Status}.", e.StatusCode);
            }
        }
    }

    public async Task SignOutAsync()
    {
        var context = accessor.HttpContext ?? throw new InvalidOperationException("Sign-out needs the request.");
        var tokens = SessionTokens.From(context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties);
        if (tokens is not null)
        {
            try
            {
                await users.LogoutAsync(new RefreshTokenRequest { RefreshToken = tokens.RefreshToken });
            }
            catch (ApiException e)
            {
                logger.LogWarning("Ending the session at user-api failed with {Status}; the cookie is removed anyway.", e.StatusCode);
            }
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
