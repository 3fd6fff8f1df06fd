namespace Shop.UserApi.Model;

/// <summary>
/// One refresh token of a session. The session (family) is the chain of tokens rotated from one login; its id is the
/// access tokens' "sid". Only the SHA-256 of the token is stored. A token is used once: refreshing marks it used and
/// issues its successor; presenting a used token again means it was copied, so the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; private set; }
    public Guid FamilyId { get; private set; }
    public Guid UserId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public Guid? ReplacedById { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    private RefreshToken() { }

    public static RefreshToken Create(Guid familyId, Guid userId, byte[] tokenHash, DateTimeOffset utcNow, TimeSpan lifetime)
    {
        utcNow = User.ToStoredPrecision(utcNow);
        return new()
        {
            Id = Guid.CreateVersion7(utcNow),
            FamilyId = familyId,
            UserId = userId,
            TokenHash = tokenHash,
            CreatedAt = utcNow,
            ExpiresAt = utcNow + lifetime,
        };
    }

    public void ReplaceWith(RefreshToken successor) => ReplacedById = successor.Id;
}
