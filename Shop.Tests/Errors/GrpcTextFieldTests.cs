using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;
using Shop.UserApi.Grpc.V1;

namespace Shop.Tests.Errors;

/// <summary>Text rules over gRPC: CreateUser shares the registration rules, so U+0000 is INVALID_ARGUMENT naming the field.</summary>
[Collection(ShopCollection.Name)]
public sealed class GrpcTextFieldTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint(ShopResources.UserApi, "grpc"));

    [Theory]
    [InlineData("name")]
    [InlineData("password")]
    [InlineData("phone")]
    public async Task CreateUser_with_a_nul_character_is_INVALID_ARGUMENT_and_writes_nothing(string field)
    {
        var email = UsersApiClient.UniqueEmail("grpc-nul");
        var request = new CreateUserRequest { Email = email, Password = "grpc-password", Name = "Grace", Phone = "+1 555 0100" };
        switch (field)
        {
            case "name": request.Name = "Gra\0ce"; break;
            case "password": request.Password = "grpc-\0password"; break;
            default: request.Phone = "+1 555\0 0100"; break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => new UserService.UserServiceClient(_channel).CreateUserAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal([field], error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).Distinct().ToArray() ?? []);
        Assert.Equal(0, await _users.CountUsersAsync(email));
    }

    public void Dispose()
    {
        _channel.Dispose();
        _users.Dispose();
    }
}
