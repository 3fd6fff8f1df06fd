using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Refusals;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// Account rules shared by the HTTP API, gRPC and the admin seeding: registration, login, the owner's profile and
/// password. An unknown account is a <see cref="NotFoundRefusal"/>.
/// </summary>
public sealed class UserAccounts(
    UsersDbContext db,
    IPasswordHasher<User> hasher,
    LoginThrottle throttle,
    Sessions sessions,
    TimeProvider time,
    ILogger<UserAccounts> logger)
{
    /// <param name="tracking">True when the caller changes the account and saves it.</param>
    public async Task<User> GetAsync(Guid id, bool tracking, CancellationToken cancellationToken)
    {
        var users = tracking ? db.Users : db.Users.AsNoTracking();
        return await users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken)
            ?? throw new NotFoundRefusal($"No user has id {id}.", "User Not Found");
    }

    /// <param name="name">Checked by the caller (<see cref="UserRules.CheckName"/>).</param>
    public async Task<User> UpdateProfileAsync(Guid id, string name, string? phone, CancellationToken cancellationToken)
    {
        var user = await GetAsync(id, tracking: true, cancellationToken);
        user.UpdateProfile(name, phone, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Sets a new password after checking the current one (<see cref="InvalidRefusal"/> naming <c>currentPassword</c>
    /// when it is wrong) and ends the account's other sessions; <paramref name="keptSessionId"/>, the session that made
    /// the change, stays signed in.
    /// </summary>
    public async Task ChangePasswordAsync(Guid id, string currentPassword, string newPassword, Guid? keptSessionId,
        CancellationToken cancellationToken)
    {
        var user = await GetAsync(id, tracking: true, cancellationToken);
        if (!VerifyPassword(user, currentPassword))
        {
            throw InvalidRefusal.Field("currentPassword", "The current password is incorrect.");
        }
        SetPassword(user, newPassword);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.EndOtherSessionsAsync(user.Id, keptSessionId);
    }

    /// <summary>The new account; <see cref="InvalidRefusal"/> (field errors) or <see cref="DuplicateRefusal"/> (email taken).</summary>
    public async Task<User> RegisterAsync(string? email, string? password, string? name, string? phone,
        string role, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidateRegistration(email, password, name, phone);
        if (errors.Count > 0) throw new InvalidRefusal(errors);

        var normalizedEmail = User.NormalizeEmail(email!);
        // Cheap early answer; the unique index decides races between concurrent registrations.
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            throw EmailTaken();
        }

        var now = time.GetUtcNow();
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
            user.SetPasswordHash(hasher.HashPassword(user, password), time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Rehashed the password of user {UserId} with the current parameters", user.Id);
        }

        await throttle.ResetAsync(normalizedEmail, client);
        return user;
    }

    public bool VerifyPassword(User user, string password) =>
        hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    public void SetPassword(User user, string password) =>
        user.SetPasswordHash(hasher.HashPassword(user, password), time.GetUtcNow());

    // Verified against for unknown emails so they cost the same hashing time as known ones.
    private string UnknownUserHash() => s_unknownUserHash ??= hasher.HashPassword(null!, Guid.NewGuid().ToString());

    private static string? s_unknownUserHash;
}
