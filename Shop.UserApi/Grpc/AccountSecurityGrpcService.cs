using Grpc.Core;
using Shop.ServiceDefaults.Security.AccountState.Grpc;
using Shop.UserApi.Services;

namespace Shop.UserApi.Grpc;

/// <summary>Answers the other services' token check when neither their cache nor Redis knows an account.</summary>
public sealed class AccountSecurityGrpcService(DatabaseAccountSecuritySource states) : AccountSecurity.AccountSecurityBase
{
    public override async Task<AccountSecurityReply> GetAccountSecurity(GetAccountSecurityRequest request, ServerCallContext context)
    {
        var userId = UserIds.Parse(request.UserId);
        if (await states.LoadAsync(userId, context.CancellationToken) is not { } state) return new AccountSecurityReply { Found = false };
        return new AccountSecurityReply
        {
            Found = true,
            SecurityVersion = state.SecurityVersion,
            Active = state.Active,
            RevokedSessionIds = { state.RevokedSessions.Select(s => s.ToString()) },
        };
    }
}
