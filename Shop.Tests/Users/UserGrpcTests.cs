using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.UserApi.Grpc.V1;

namespace Shop.Tests.Users;

[Collection(ShopCollection.Name)]
public sealed class UserGrpcTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint(ShopResources.UserApi, "grpc"));

    private UserService.UserServiceClient Client => new(_channel);

    [Fact]
    public async Task The_grpc_endpoint_serves_the_health_service()
    {
        var health = new Health.HealthClient(_channel);

        var reply = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task CreateUser_then_GetUser_returns_it()
    {
        var email = UsersApiClient.UniqueEmail("grpc");

        var created = await Client.CreateUserAsync(new CreateUserRequest { Email = email, Password = "grpc-password", Name = "Grace", Phone = "+1 555 0100" });
        var fetched = await Client.GetUserAsync(new GetUserRequest { UserId = created.UserId });

        Assert.True(Guid.TryParse(created.UserId, out _));
        Assert.Equal(created, fetched);
        Assert.Equal(email, fetched.Email);
        Assert.Equal("customer", fetched.Role);
        Assert.True(fetched.Active);
        Assert.InRange(fetched.CreatedAt.ToDateTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));
        using var login = await _users.LoginAsync(email, "grpc-password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task GetUser_of_a_missing_id_is_NOT_FOUND()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetUserAsync(new GetUserRequest { UserId = Guid.NewGuid().ToString() }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task GetUser_of_a_malformed_id_is_INVALID_ARGUMENT()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Client.GetUserAsync(new GetUserRequest { UserId = "42" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["user_id"], FieldViolations(error));
    }

    [Fact]
    public async Task CreateUser_with_bad_fields_is_INVALID_ARGUMENT_with_field_details_and_writes_nothing()
    {
        var email = "not-an-email-" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.CreateUserAsync(new CreateUserRequest { Email = email, Password = "short", Name = "" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["email", "name", "password"], FieldViolations(error).Order().ToArray());
        Assert.Equal(0, await _users.CountUsersAsync(email));
    }

    [Fact]
    public async Task CreateUser_with_a_taken_email_is_ALREADY_EXISTS()
    {
        var user = await _users.RegisterAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Client.CreateUserAsync(new CreateUserRequest { Email = user.Email.ToUpperInvariant(), Password = "another-password", Name = "Copy" }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal(1, await _users.CountUsersAsync(user.Email));
    }

    [Fact]
    public async Task ValidateToken_answers_valid_with_the_user_and_role_or_invalid()
    {
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);

        var valid = await Client.ValidateTokenAsync(new ValidateTokenRequest { Token = token });
        var tampered = await Client.ValidateTokenAsync(new ValidateTokenRequest { Token = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA") });
        var garbage = await Client.ValidateTokenAsync(new ValidateTokenRequest { Token = "not a token" });
        var empty = await Client.ValidateTokenAsync(new ValidateTokenRequest());

        Assert.True(valid.Valid);
        Assert.Equal(user.Id.ToString(), valid.UserId);
        Assert.Equal("customer", valid.Role);
        Assert.Empty(valid.Reason);
        foreach (var invalid in new[] { tampered, garbage, empty })
        {
            Assert.False(invalid.Valid);
            Assert.Empty(invalid.UserId);
            Assert.NotEmpty(invalid.Reason);
        }
    }

    private static string[] FieldViolations(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).Distinct().ToArray() ?? [];

    public void Dispose()
    {
        _channel.Dispose();
        _users.Dispose();
    }
}
