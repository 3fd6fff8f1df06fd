using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>A session's current refresh token (returned once, stored only as its hash) and the session id ("sid").</summary>
public sealed record IssuedSession(Guid SessionId, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

/// <summary>A refreshed session: the account it belongs to and its next refresh token.</summary>
public sealed record RefreshedSession(User User, IssuedSession Session);

/// <summary>
/// Sessions as refresh-token families (RFC 6819 §5.2.2.3 rotation, OAuth 2.0 Security BCP §4.14 reuse detection):
/// login starts one; each refresh uses its token once and issues the next (lifetime Jwt:RefreshTokenLifetime from
/// then); presenting a used token again revokes the whole family. Ending a session publishes it, so the session's
/// access tokens stop validating everywhere within seconds.
/// </summary>
public sealed class Sessions(
    UsersDbContext db,
    AccountStatePublication publication,
    IOptionsMonitor<JwtOptions> jwt,
    TimeProvider time,
    ILogger<Sessions> logger)
{
    private const int TokenBytes = 32;

    public async Task<IssuedSession> StartAsync(User user, CancellationToken cancellationToken)
    {
        var familyId = Guid.CreateVersion7(time.GetUtcNow());
        return await IssueAsync(familyId, user.Id, predecessor: null, cancellationToken);
    }

    /// <summary>The next token pair of the session; <see cref="NotAuthenticatedRefusal"/> for an unknown, used, revoked or expired token.</summary>
    public async Task<RefreshedSession> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (Hash(refreshToken) is not { } hash) throw InvalidRefreshToken();
        var now = time.GetUtcNow();
        var token = await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now) throw InvalidRefreshToken();

        // Atomic: of two requests with one token exactly one wins; the other is a reuse.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            logger.LogWarning("A used refresh token of user {UserId} was presented again: session {SessionId} is revoked", token.UserId, token.FamilyId);
            await EndAsync(token.UserId, t => t.FamilyId == token.FamilyId);
            throw InvalidRefreshToken();
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        if (user is not { Active: true }) throw InvalidRefreshToken();
        return new RefreshedSession(user, await IssueAsync(token.FamilyId, user.Id, token, cancellationToken));
    }

    private static NotAuthenticatedRefusal InvalidRefreshToken() =>
        new("The refresh token is invalid, expired or already used; sign in again.");

    /// <summary>Logout: ends the token's session. Unknown and already ended tokens are ignored.</summary>
    public async Task EndAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (Hash(refreshToken) is not { } hash) return;
        var token = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.UserId, t.FamilyId, t.RevokedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (token is null || token.RevokedAt is not null) return;
        await EndAsync(token.UserId, t => t.FamilyId == token.FamilyId);
    }

    /// <summary>Ends every live session of the account except <paramref name="keptSessionId"/> (a password change).</summary>
    public Task EndOtherSessionsAsync(Guid userId, Guid? keptSessionId) =>
        EndAsync(userId, t => keptSessionId == null || t.FamilyId != keptSessionId.Value);

    /// <summary>Ends every live session of the account (deactivation) without publishing: the caller's change does.</summary>
    public Task<int> RevokeAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private async Task EndAsync(Guid userId, System.Linq.Expressions.Expression<Func<RefreshToken, bool>> which)
    {
        var now = time.GetUtcNow();
        // Sessions whose refresh token expired have no access token left either.
        var families = db.RefreshTokens
            .Where(t => t.UserId == userId && t.RevokedAt == null && t.ExpiresAt > now)
            .Where(which)
            .Select(t => t.FamilyId);
        await publication.BeforeChangeAsync(userId);
        // Not the request's token: once started, the revocation and its publication complete.
        await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null && families.Contains(t.FamilyId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), CancellationToken.None);
        await publication.AfterChangeAsync(userId);
    }

    private async Task<IssuedSession> IssueAsync(Guid familyId, Guid userId, RefreshToken? predecessor, CancellationToken cancellationToken)
    {
        var bytes = RandomNumberGenerator.GetBytes(TokenBytes);
        var value = Base64UrlEncode(bytes);
        var token = RefreshToken.Create(familyId, userId, SHA256.HashData(Encoding.ASCII.GetBytes(value)),
            time.GetUtcNow(), jwt.CurrentValue.RefreshTokenLifetime);
        db.RefreshTokens.Add(token);
        predecessor?.ReplaceWith(token);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedSession(familyId, value, token.ExpiresAt);
    }

    // Anything but the 43 characters of a token we issued is not looked up at all.
    private static byte[]? Hash(string refreshToken) =>
        refreshToken.Length == 43 && refreshToken.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? SHA256.HashData(Encoding.ASCII.GetBytes(refreshToken))
            : null;

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
