namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>
/// What decides whether an account's access tokens may still act: its security version (a token is valid only while
/// its <c>sstamp</c> claim equals it; user-api bumps it on deactivation and role changes), whether it is active, and
/// the sessions (token <c>sid</c>) ended within the last access-token lifetime (logout, refresh-token reuse, a
/// password change ending the other sessions).
/// </summary>
public sealed record AccountSecurityState(long SecurityVersion, bool Active, IReadOnlySet<Guid> RevokedSessions)
{
    public static readonly IReadOnlySet<Guid> NoRevokedSessions = new HashSet<Guid>();

    /// <summary>
    /// Combines two observations of one account, whatever order they arrive in: the higher version wins (every
    /// deactivation bumps it) and ended sessions only accumulate, so a late, older answer never undoes a change.
    /// </summary>
    public AccountSecurityState Merge(AccountSecurityState other)
    {
        var (version, active) = SecurityVersion.CompareTo(other.SecurityVersion) switch
        {
            > 0 => (SecurityVersion, Active),
            < 0 => (other.SecurityVersion, other.Active),
            _ => (SecurityVersion, Active && other.Active),
        };
        IReadOnlySet<Guid> sessions = other.RevokedSessions.IsSubsetOf(RevokedSessions) ? RevokedSessions
            : RevokedSessions.Count == 0 ? other.RevokedSessions
            : new HashSet<Guid>(RevokedSessions.Concat(other.RevokedSessions));
        return version == SecurityVersion && active == Active && ReferenceEquals(sessions, RevokedSessions)
            ? this
            : new AccountSecurityState(version, active, sessions);
    }
}
