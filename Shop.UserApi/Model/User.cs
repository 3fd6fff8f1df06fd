using Shop.ServiceDefaults.Security;

namespace Shop.UserApi.Model;

public sealed class User
{
    public Guid Id { get; private set; }

    /// <summary>The address as the user typed it (trimmed).</summary>
    public string Email { get; private set; } = "";

    /// <summary>Upper-case invariant form: the unique key, so "A@x.io" and "a@X.io" are one account.</summary>
    public string NormalizedEmail { get; private set; } = "";

    public string PasswordHash { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Phone { get; private set; }
    public string Role { get; private set; } = ShopClaims.CustomerRole;
    public bool Active { get; private set; } = true;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeactivatedAt { get; private set; }

    /// <summary>
    /// Carried by every access token as "sstamp"; bumped by a change that must end the tokens issued before it
    /// (deactivation, role change), so they stop validating everywhere (Shop.ServiceDefaults' AccountTokenValidator).
    /// </summary>
    public long SecurityVersion { get; private set; }

    private User() { }

    public static User Create(string email, string name, string? phone, string role, DateTimeOffset utcNow)
    {
        utcNow = ToStoredPrecision(utcNow);
        return new()
        {
            Id = Guid.CreateVersion7(utcNow),
            Email = email.Trim(),
            NormalizedEmail = NormalizeEmail(email),
            Name = name.Trim(),
            Phone = NormalizePhone(phone),
            Role = role,
            CreatedAt = utcNow,
            UpdatedAt = utcNow,
        };
    }

    /// <summary>PostgreSQL keeps microseconds: trimming here makes the value returned on creation equal the stored one.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset utc) => new(utc.UtcTicks - utc.UtcTicks % 10, TimeSpan.Zero);

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public void SetPasswordHash(string hash, DateTimeOffset utcNow)
    {
        PasswordHash = hash;
        UpdatedAt = utcNow;
    }

    public void UpdateProfile(string name, string? phone, DateTimeOffset utcNow)
    {
        Name = name.Trim();
        Phone = NormalizePhone(phone);
        UpdatedAt = utcNow;
    }

    public void ChangeRole(string role, DateTimeOffset utcNow)
    {
        if (Role == role) return;
        Role = role;
        SecurityVersion++;
        UpdatedAt = utcNow;
    }

    public void Deactivate(DateTimeOffset utcNow)
    {
        if (!Active) return;
        Active = false;
        SecurityVersion++;
        DeactivatedAt = utcNow;
        UpdatedAt = utcNow;
    }

    private static string? NormalizePhone(string? phone) => string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
}
