using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.Validation;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Apis;

public static class UsersApi
{
    public const int MaxPageSize = 100;

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
            .WithSummary("Change an account's role; its access tokens end everywhere (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/{id:guid}", DeactivateAsync).WithName("DeactivateUser")
            .WithSummary("Deactivate an account; its sessions and tokens end everywhere (admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);

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
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(FieldErrors.Single("refreshToken", "The refresh token is required."));
        }
        var refreshed = await sessions.RefreshAsync(request.RefreshToken, cancellationToken);
        return TypedResults.Ok(tokens.Issue(refreshed.User, refreshed.Session));
    }

    /// <summary>Ends the refresh token's session: its access tokens stop working everywhere within seconds. Always 204.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshTokenRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(FieldErrors.Single("refreshToken", "The refresh token is required."));
        }
        await sessions.EndAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserResponse>, NotFound>> GetMeAsync(
        HttpContext http, UsersDbContext db, CancellationToken cancellationToken) =>
        await FindCurrentUserAsync(http, db, tracking: false, cancellationToken) is { } user
            ? TypedResults.Ok(UserResponse.From(user))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound>> UpdateMeAsync(
        UpdateProfileRequest request, HttpContext http, UsersDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateProfile(request.Name, request.Phone);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        if (await FindCurrentUserAsync(http, db, tracking: true, cancellationToken) is not { } user) return TypedResults.NotFound();

        user.UpdateProfile(request.Name!, request.Phone, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>Also ends the account's other sessions; the one that made the change stays signed in.</summary>
    public static async Task<Results<NoContent, ValidationProblem, NotFound>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, UsersDbContext db, UserAccounts accounts, Sessions sessions,
        CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidatePasswordChange(request.CurrentPassword, request.NewPassword);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        if (await FindCurrentUserAsync(http, db, tracking: true, cancellationToken) is not { } user) return TypedResults.NotFound();
        if (!accounts.VerifyPassword(user, request.CurrentPassword!))
        {
            return TypedResults.ValidationProblem(FieldErrors.Single("currentPassword", "The current password is incorrect."));
        }

        accounts.SetPassword(user, request.NewPassword!);
        await db.SaveChangesAsync(cancellationToken);
        var currentSession = Guid.TryParse(http.User.FindFirst(ShopClaims.SessionId)?.Value, out var sid) ? sid : (Guid?)null;
        await sessions.EndOtherSessionsAsync(user.Id, currentSession);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsersAsync(
        UsersDbContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        // An admin list caps an oversized page size instead of refusing it.
        var errors = new FieldErrors();
        if (PageRequest.Create(page, Math.Min(pageSize, MaxPageSize), errors, maxPageSize: MaxPageSize) is not { } request)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .ToPageAsync(request, cancellationToken);
        return TypedResults.Ok(users.Select(UserResponse.From));
    }

    public static async Task<Results<Ok<UserResponse>, NotFound>> GetUserAsync(
        Guid id, UsersDbContext db, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken) is { } user
            ? TypedResults.Ok(UserResponse.From(user))
            : TypedResults.NotFound();

    /// <summary>A new role ends the account's access tokens everywhere (their role claim is stale); a refresh gets the new role.</summary>
    public static async Task<Results<Ok<UserResponse>, ValidationProblem, NotFound>> ChangeRoleAsync(
        Guid id, ChangeRoleRequest request, UsersDbContext db, AccountStatePublication publication, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateRole(request.Role);
        if (errors.HasErrors) return TypedResults.ValidationProblem(errors);
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken) is not { } user) return TypedResults.NotFound();

        var version = user.SecurityVersion;
        user.ChangeRole(request.Role!, time.GetUtcNow().UtcDateTime);
        if (user.SecurityVersion != version)
        {
            await publication.BeforeChangeAsync(id);
            await db.SaveChangesAsync(CancellationToken.None);
            await publication.AfterChangeAsync(id);
        }
        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>Ends every session and access token of the account everywhere within seconds.</summary>
    public static async Task<Results<NoContent, NotFound>> DeactivateAsync(
        Guid id, UsersDbContext db, Sessions sessions, AccountStatePublication publication, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken) is not { } user) return TypedResults.NotFound();
        if (!user.Active) return TypedResults.NoContent();

        user.Deactivate(time.GetUtcNow().UtcDateTime);
        await publication.BeforeChangeAsync(id);
        // Not the request's token: once the change starts, its publication must follow. The refresh tokens are revoked
        // after the commit; a refresh in between is refused anyway (the account is inactive).
        await db.SaveChangesAsync(CancellationToken.None);
        await sessions.RevokeAllAsync(id, CancellationToken.None);
        await publication.AfterChangeAsync(id);
        loggers.CreateLogger(nameof(UsersApi)).LogInformation("Deactivated user {UserId}", id);
        return TypedResults.NoContent();
    }

    private static async Task<User?> FindCurrentUserAsync(HttpContext http, UsersDbContext db, bool tracking, CancellationToken cancellationToken)
    {
        if (http.User.GetUserId() is not { } id) return null;
        var users = tracking ? db.Users : db.Users.AsNoTracking();
        return await users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
    }
}
