using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Security;
using Shop.UserApi.Grpc.V1;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;
using Shop.UserApi.Services;
using Status = Google.Rpc.Status;

namespace Shop.UserApi.Grpc;

public sealed class UserGrpcService(UsersDbContext db, UserAccounts accounts, TokenService tokens) : UserService.UserServiceBase
{
    public override async Task<UserReply> GetUser(GetUserRequest request, ServerCallContext context)
    {
        if (!Guid.TryParse(request.UserId, out var id))
        {
            throw InvalidArgument(new() { ["user_id"] = ["The user id must be a UUID."] });
        }
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, context.CancellationToken);
        return user is null
            ? throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, $"No user has id {id}."))
            : ToReply(user);
    }

    public override async Task<UserReply> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        var result = await accounts.RegisterAsync(request.Email, request.Password, request.Name, request.Phone,
            ShopClaims.CustomerRole, context.CancellationToken);
        return result switch
        {
            RegistrationResult.Created(var user) => ToReply(user),
            RegistrationResult.Invalid(var errors) => throw InvalidArgument(errors),
            _ => throw new RpcException(new global::Grpc.Core.Status(StatusCode.AlreadyExists, "An account with this email already exists.")),
        };
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
        CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(user.CreatedAt, DateTimeKind.Utc)),
    };

    // google.rpc.BadRequest in the status details (grpc-status-details-bin), one violation per field message.
    private static RpcException InvalidArgument(Dictionary<string, string[]> errors)
    {
        var badRequest = new BadRequest();
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = message });
            }
        }
        return new Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "The request has invalid fields: " + string.Join(", ", errors.Keys),
            Details = { Any.Pack(badRequest) },
        }.ToRpcException();
    }
}
