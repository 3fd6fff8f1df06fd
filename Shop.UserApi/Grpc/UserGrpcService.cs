using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Grpc.V1;
using Shop.UserApi.Model;
using Shop.UserApi.Services;

namespace Shop.UserApi.Grpc;

public sealed class UserGrpcService(UserAccounts accounts, TokenService tokens) : UserService.UserServiceBase
{
    public override async Task<UserReply> GetUser(GetUserRequest request, ServerCallContext context) =>
        ToReply(await accounts.GetAsync(UserIds.Parse(request.UserId), tracking: false, context.CancellationToken));

    public override async Task<UserReply> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        var user = await accounts.RegisterAsync(request.Email, request.Password, request.Name, request.Phone,
            ShopClaims.CustomerRole, context.CancellationToken);
        return ToReply(user);
    }

    public override async Task<ValidateTokenReply> ValidateToken(ValidateTokenRequest request, ServerCallContext context)
    {
        var validation = await tokens.ValidateAsync(request.Token, context.CancellationToken);
        return new ValidateTokenReply
        {
            Valid = validation.Valid,
            UserId = validation.Valid ? validation.UserId.ToString() : "",
            Role = validation.Role ?? "",
            Reason = validation.Reason ?? "",
        };
    }

    private static UserReply ToReply(User user) => new()
    {
        UserId = user.Id.ToString(),
        Email = user.Email,
        Name = user.Name,
        Phone = user.Phone ?? "",
        Role = user.Role,
        Active = user.Active,
        CreatedAt = Timestamp.FromDateTimeOffset(user.CreatedAt),
    };
}
