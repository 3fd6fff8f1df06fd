using System.Text.Json;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>
/// What POST /api/users/login (and POST /api/users/refresh, where user-api has it) answers:
/// <c>{"accessToken", "tokenType", "expiresIn": seconds, "refreshToken"?}</c>.
/// </summary>
/// <param name="RefreshToken">Null when user-api issues none: the session logs in again instead.</param>
/// <param name="ExpiresAt">When the access token expires; <see cref="DateTimeOffset.MaxValue"/> when the answer gives no expiresIn.</param>
public sealed record TokenGrant(string AccessToken, string? RefreshToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Share of the token's lifetime after which it is renewed, so no request goes out with a token about to expire.</summary>
    public const double RenewAfter = 0.8;

    /// <exception cref="InvalidOperationException">The answer has no accessToken.</exception>
    public static TokenGrant Parse(JsonElement body, DateTimeOffset now)
    {
        var access = body.TryGetProperty("accessToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("The login answer has no accessToken.");
        var refresh = body.TryGetProperty("refreshToken", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } refreshValue
            ? refreshValue
            : null;
        var expiresAt = body.TryGetProperty("expiresIn", out var e) && e.TryGetDouble(out var seconds) && seconds > 0
            ? now.AddSeconds(seconds)
            : DateTimeOffset.MaxValue;
        return new TokenGrant(access, refresh, now, expiresAt);
    }

    /// <summary>True once <see cref="RenewAfter"/> of the lifetime has passed.</summary>
    public bool NeedsRenewal(DateTimeOffset now) =>
        ExpiresAt != DateTimeOffset.MaxValue && now >= IssuedAt + (ExpiresAt - IssuedAt) * RenewAfter;
}
