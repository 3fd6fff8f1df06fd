using Microsoft.AspNetCore.Http.HttpResults;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;
using Shop.UserApi.Services;

namespace Shop.UserApi.Apis;

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/users").WithTags("Users");

        api.MapPost("/register", RegisterAsync).WithName("RegisterUser")
            .WithSummary("Register a customer account")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/login", LoginAsync).WithName("Login")
            .WithSummary("Sign in: an access token and a refresh token")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/refresh", RefreshAsync).WithName("RefreshToken")
            .WithSummary("Exchange a refresh token for a new token pair")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapPost("/logout", LogoutAsync).WithName("Logout")
            .WithSummary("End the refresh token's session");

        var me = api.MapGroup("/me").RequireAuthorization();
        me.MapGet("", GetMeAsync).WithName("GetMyAccount")
            .WithSummary("The caller's account")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPut("", UpdateMeAsync).WithName("UpdateMyProfile")
            .WithSummary("Change the caller's name and phone")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPut("/password", ChangePasswordAsync).WithName("ChangeMyPassword")
            .WithSummary("Change the caller's password; ends their other sessions")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = api.MapGroup("").RequireAuthorization(ShopClaims.AdminPolicy);
        admin.MapGet("", ListUsersAsync).WithName("ListUsers")
            .WithSummary("List accounts, oldest first (admin)");
        admin.MapGet("/{id:guid}", GetUserAsync).WithName("GetUser")
            .WithSummary("One account (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("/{id:guid}/role", ChangeRoleAsync).WithName("ChangeUserRole")
            .WithSummary("Change another account's role; its access tokens end everywhere (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapDelete("/{id:guid}", DeactivateAsync).WithName("DeactivateUser")
            .WithSummary("Deactivate another account; its sessions and tokens end everywhere (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    public static async Task<Created<UserResponse>> RegisterAsync(
        RegisterRequest request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var user = await accounts.RegisterAsync(request.Email, request.Password, request.Name, request.Phone,
            ShopClaims.CustomerRole, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user));
    }

    public static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem>> LoginAsync(
        LoginRequest request, UserAccounts accounts, Sessions sessions, TokenService tokens, HttpContext http,
        CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateLogin(request.Email, request.Password);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);

        // The gateway's address for the client (X-Forwarded-For, applied by the forwarded-headers middleware).
        var client = http.Connection.RemoteIpAddress;
        var user = await accounts.LoginAsync(request.Email!, request.Password!, client, cancellationToken);
        return TypedResults.Ok(tokens.Issue(user, await sessions.StartAsync(user, cancellationToken)));
    }

    /// <summary>Rotates a refresh token: 200 with a new token pair; 401 for an unknown, used, revoked or expired one.</summary>
    public static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem>> RefreshAsync(
        RefreshTokenRequest request, Sessions sessions, TokenService tokens, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateRefreshToken(request.RefreshToken);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var refreshed = await sessions.RefreshAsync(request.RefreshToken!, cancellationToken);
        return TypedResults.Ok(tokens.Issue(refreshed.User, refreshed.Session));
    }

    /// <summary>Ends the refresh token's session: its access tokens stop working everywhere within seconds. Always 204.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshTokenRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateRefreshToken(request.RefreshToken);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        await sessions.EndAsync(request.RefreshToken!, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<UserResponse>> GetMeAsync(
        HttpContext http, UserAccounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(UserResponse.From(await accounts.GetAsync(CallerId(http), tracking: false, cancellationToken)));

    public static async Task<Results<Ok<UserResponse>, ValidationProblem>> UpdateMeAsync(
        UpdateProfileRequest request, HttpContext http, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateProfile(request.Name, request.Phone);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var user = await accounts.UpdateProfileAsync(CallerId(http), request.Name!, request.Phone, cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>Also ends the account's other sessions; the one that made the change stays signed in.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidatePasswordChange(request.CurrentPassword, request.NewPassword);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        var currentSession = Guid.TryParse(http.User.FindFirst(ShopClaims.SessionId)?.Value, out var sid) ? sid : (Guid?)null;
        await accounts.ChangePasswordAsync(CallerId(http), request.CurrentPassword!, request.NewPassword!, currentSession, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsersAsync(
        AccountAdministration administration, CancellationToken cancellationToken, int page = 1, int pageSize = PageRequest.DefaultPageSize)
    {
        var errors = UserValidation.ValidateList(page, pageSize, out var paging);
        if (errors.HasErrors || paging is null) return TypedResults.ValidationProblem(errors);
        var users = await administration.ListAsync(paging, cancellationToken);
        return TypedResults.Ok(users.Select(UserResponse.From));
    }

    public static async Task<Ok<UserResponse>> GetUserAsync(Guid id, UserAccounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(UserResponse.From(await accounts.GetAsync(id, tracking: false, cancellationToken)));

    /// <summary>A new role ends the account's access tokens everywhere (their role claim is stale); a refresh gets the new role.</summary>
    public static async Task<Results<Ok<UserResponse>, ValidationProblem>> ChangeRoleAsync(
        Guid id, ChangeRoleRequest request, HttpContext http, AccountAdministration administration, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateRole(request.Role);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(UserResponse.From(await administration.ChangeRoleAsync(id, request.Role!, CallerId(http), cancellationToken)));
    }

    /// <summary>Ends every session and access token of the account everywhere within seconds.</summary>
    public static async Task<NoContent> DeactivateAsync(Guid id, HttpContext http, AccountAdministration administration, CancellationToken cancellationToken)
    {
        await administration.DeactivateAsync(id, CallerId(http), cancellationToken);
        return TypedResults.NoContent();
    }

    private static Guid CallerId(HttpContext http) =>
        http.User.GetUserId() ?? throw new NotAuthenticatedRefusal("The token has no user id.");
}
