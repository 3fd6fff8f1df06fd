namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>
/// The authority on account state, asked when neither the process's cache nor Redis knows an account. By default
/// user-api over gRPC; user-api itself registers one that reads its database (and re-populates Redis).
/// </summary>
public interface IAccountSecuritySource
{
    /// <summary>The account's current state, or null when no account has this id. Throws when the authority cannot answer.</summary>
    Task<AccountSecurityState?> LoadAsync(Guid userId, CancellationToken cancellationToken);
}
