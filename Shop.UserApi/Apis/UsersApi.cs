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

        api.MapPost("/register", RegisterAsync).WithName("Register");
        api.MapPost("/login", LoginAsync).WithName("Login");
        api.MapPost("/refresh", RefreshAsync).WithName("RefreshToken");
        api.MapPost("/logout", LogoutAsync).WithName("Logout");

        var me = api.MapGroup("/me").RequireAuthorization();
        me.MapGet("", GetMeAsync).WithName("GetMe");
        me.MapPut("", UpdateMeAsync).WithName("UpdateMe");
        me.MapPut("/password", ChangePasswordAsync).WithName("ChangePassword");

        var admin = api.MapGroup("").RequireAuthorization(ShopClaims.AdminPolicy);
        admin.MapGet("", ListUsersAsync).WithName("ListUsers");
        admin.MapGet("/{id:guid}", GetUserAsync).WithName("GetUser");
        admin.MapPut("/{id:guid}/role", ChangeRoleAsync).WithName("ChangeUserRole");
        admin.MapDelete("/{id:guid}", DeactivateAsync).WithName("DeactivateUser");

        return app;
    }

    public static async Task<Results<Created<UserResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.RegisterAsync(request.Email, request.Password, request.Name, request.Phone,
            ShopClaims.CustomerRole, cancellationToken);
        return result switch
        {
            RegistrationResult.Created(var user) => TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user)),
            RegistrationResult.Invalid(var errors) => TypedResults.ValidationProblem(errors),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Email already registered",
                detail: "An account with this email already exists."),
        };
    }

    public static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, UserAccounts accounts, Sessions sessions, TokenService tokens, HttpContext http,
        CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateLogin(request.Email, request.Password);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        // The gateway's address for the client (X-Forwarded-For, applied by the forwarded-headers middleware).
        var client = http.Connection.RemoteIpAddress;
        var response = http.Response;
        switch (await accounts.LoginAsync(request.Email!, request.Password!, client, cancellationToken))
        {
            case LoginResult.Success(var user):
                return TypedResults.Ok(tokens.Issue(user, await sessions.StartAsync(user, cancellationToken)));
            case LoginResult.Throttled(var retryAfter):
                var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                response.Headers.RetryAfter = seconds.ToString();
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins",
                    detail: $"Try again in {seconds} seconds.");
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: "The email or password is incorrect.");
        }
    }

    /// <summary>Rotates a refresh token: 200 with a new token pair; 401 for an unknown, used, revoked or expired one.</summary>
    public static async Task<Results<Ok<AccessTokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshTokenRequest request, Sessions sessions, TokenService tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["The refresh token is required."] });
        }
        return await sessions.RefreshAsync(request.RefreshToken, cancellationToken) is RefreshResult.Success(var user, var session)
            ? TypedResults.Ok(tokens.Issue(user, session))
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The refresh token is invalid, expired or already used; sign in again.");
    }

    /// <summary>Ends the refresh token's session: its access tokens stop working everywhere within seconds. Always 204.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshTokenRequest request, Sessions sessions, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["The refresh token is required."] });
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
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
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
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (await FindCurrentUserAsync(http, db, tracking: true, cancellationToken) is not { } user) return TypedResults.NotFound();
        if (!accounts.VerifyPassword(user, request.CurrentPassword!))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["The current password is incorrect."] });
        }

        accounts.SetPassword(user, request.NewPassword!);
        await db.SaveChangesAsync(cancellationToken);
        var currentSession = Guid.TryParse(http.User.FindFirst(ShopClaims.SessionId)?.Value, out var sid) ? sid : (Guid?)null;
        await sessions.EndOtherSessionsAsync(user.Id, currentSession);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserPage>, ValidationProblem>> ListUsersAsync(
        UsersDbContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        // An admin list caps an oversized page size instead of refusing it.
        var errors = new FieldErrors();
        if (PageRequest.Create(page, Math.Min(pageSize, MaxPageSize), errors, maxPageSize: MaxPageSize) is not { } request)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var total = await db.Users.CountAsync(cancellationToken);
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip(request.Offset).Take(request.PageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new UserPage(users.Select(UserResponse.From).ToList(), request.Page, request.PageSize, total));
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
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
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
