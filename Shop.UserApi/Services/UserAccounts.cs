using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Refusals;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>Account rules shared by the HTTP API, gRPC and the admin seeding: registration and password checks.</summary>
public sealed class UserAccounts(
    UsersDbContext db,
    IPasswordHasher<User> hasher,
    LoginThrottle throttle,
    TimeProvider time,
    ILogger<UserAccounts> logger)
{
    /// <summary>The new account; <see cref="InvalidRefusal"/> (field errors) or <see cref="DuplicateRefusal"/> (email taken).</summary>
    public async Task<User> RegisterAsync(string? email, string? password, string? name, string? phone,
        string role, CancellationToken cancellationToken)
    {
        var errors = UserValidation.ValidateRegistration(email, password, name, phone);
        if (errors.Count > 0) throw new InvalidRefusal(errors);

        var normalizedEmail = User.NormalizeEmail(email!);
        // Cheap early answer; the unique index decides races between concurrent registrations.
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            throw EmailTaken();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = User.Create(email!, name!, phone, role, now);
        user.SetPasswordHash(hasher.HashPassword(user, password!), now);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.IsDuplicateEmail(ex))
        {
            db.Entry(user).State = EntityState.Detached;
            throw EmailTaken();
        }

        logger.LogInformation("Registered user {UserId} with role {Role}", user.Id, role);
        return user;
    }

    private static DuplicateRefusal EmailTaken() => new("Email already registered", "An account with this email already exists.");

    /// <summary>
    /// Unknown email, wrong password and deactivated account give the same answer (and cost the same hashing time);
    /// repeated failures for one email from one client are throttled across replicas (<see cref="LoginThrottle"/>):
    /// <see cref="NotAuthenticatedRefusal"/> or <see cref="ThrottledRefusal"/> with the wait in Retry-After.
    /// </summary>
    public async Task<User> LoginAsync(string email, string password, System.Net.IPAddress? client, CancellationToken cancellationToken)
    {
        var normalizedEmail = User.NormalizeEmail(email);
        if (await throttle.GetRetryAfterAsync(normalizedEmail, client) is { } retryAfter)
        {
            logger.LogWarning("Login throttled for an account and client after repeated failures");
            throw new ThrottledRefusal("Too many failed logins", $"Try again in {(int)Math.Ceiling(retryAfter.TotalSeconds)} seconds.")
            {
                RetryAfter = retryAfter,
            };
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        var verification = hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? UnknownUserHash(), password);
        if (user is not { Active: true } || verification == PasswordVerificationResult.Failed)
        {
            await throttle.RecordFailureAsync(normalizedEmail, client);
            logger.LogInformation("Failed login for user {UserId}", user?.Id);
            throw new NotAuthenticatedRefusal("The email or password is incorrect.");
        }

        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.SetPasswordHash(hasher.HashPassword(user, password), time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Rehashed the password of user {UserId} with the current parameters", user.Id);
        }

        await throttle.ResetAsync(normalizedEmail, client);
        return user;
    }

    public bool VerifyPassword(User user, string password) =>
        hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    public void SetPassword(User user, string password) =>
        user.SetPasswordHash(hasher.HashPassword(user, password), time.GetUtcNow().UtcDateTime);

    // Verified against for unknown emails so they cost the same hashing time as known ones.
    private string UnknownUserHash() => s_unknownUserHash ??= hasher.HashPassword(null!, Guid.NewGuid().ToString());

    private static string? s_unknownUserHash;
}
