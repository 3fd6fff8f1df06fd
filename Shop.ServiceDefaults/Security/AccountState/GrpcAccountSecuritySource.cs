using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Security.AccountState.Grpc;

namespace Shop.ServiceDefaults.Security.AccountState;

/// <summary>Asks user-api's AccountSecurity service, which answers from its database and re-populates Redis.</summary>
internal sealed class GrpcAccountSecuritySource(AccountSecurity.AccountSecurityClient client, IOptionsMonitor<AccountStateOptions> options,
    TimeProvider time)
    : IAccountSecuritySource
{
    public async Task<AccountSecurityState?> LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var reply = await client.GetAccountSecurityAsync(new GetAccountSecurityRequest { UserId = userId.ToString() },
            deadline: time.GetUtcNow().UtcDateTime + options.CurrentValue.FillTimeout, cancellationToken: cancellationToken);
        if (!reply.Found) return null;
        var sessions = reply.RevokedSessionIds.Count == 0
            ? AccountSecurityState.NoRevokedSessions
            : reply.RevokedSessionIds.Select(Guid.Parse).ToHashSet();
        return new AccountSecurityState(reply.SecurityVersion, reply.Active, sessions);
    }
}
