using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using Shop.UserApi.Grpc.V1;
using Grpc.Net.Client;

namespace Shop.Tests.Users;

[Collection(ShopCollection.Name)]
public sealed class AdminApiTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/users" },
        { "GET", "/api/users/{id}" },
        { "PUT", "/api/users/{id}/role" },
        { "DELETE", "/api/users/{id}" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Admin_routes_are_401_without_a_token_and_403_for_a_customer(string method, string route)
    {
        var customer = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(customer.Email, customer.Password);
        var path = route.Replace("{id}", customer.Id.ToString());
        object? body = method == "PUT" ? new { role = "admin" } : null;

        using var anonymous = await _users.SendAsync(new HttpMethod(method), path, null, body);
        using var forbidden = await _users.SendAsync(new HttpMethod(method), path, token, body);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(403, (await UsersApiClient.ReadProblemAsync(forbidden)).GetProperty("status").GetInt32());
        using var me = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token);
        var after = (await me.Content.ReadFromJsonAsync<UserDto>())!;
        Assert.Equal("customer", after.Role);
        Assert.True(after.Active);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_or_demote_their_own_account_and_another_admin_can()
    {
        // A second admin, so that a regression locks out this account and not the seeded one the other tests use.
        var seeded = await _users.GetAdminTokenAsync();
        var account = await _users.RegisterAsync();
        using (var promoted = await _users.SendAsync(HttpMethod.Put, $"/api/users/{account.Id}/role", seeded, new { role = "admin" }))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }
        var admin = await _users.GetTokenAsync(account.Email, account.Password);

        using var deactivated = await _users.SendAsync(HttpMethod.Delete, $"/api/users/{account.Id}", admin);
        using var demoted = await _users.SendAsync(HttpMethod.Put, $"/api/users/{account.Id}/role", admin, new { role = "customer" });

        foreach (var refused in new[] { deactivated, demoted })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("Own Account", (await UsersApiClient.ReadProblemAsync(refused)).GetProperty("title").GetString());
        }
        using var list = await _users.SendAsync(HttpMethod.Get, "/api/users?page=1&pageSize=1", admin);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        using var byAnother = await _users.SendAsync(HttpMethod.Delete, $"/api/users/{account.Id}", seeded);
        Assert.Equal(HttpStatusCode.NoContent, byAnother.StatusCode);
    }

    [Fact]
    public async Task The_seeded_admin_lists_users_in_pages_and_an_oversized_page_is_refused()
    {
        var admin = await _users.GetAdminTokenAsync();
        await _users.RegisterAsync();
        await _users.RegisterAsync();

        using var first = await _users.SendAsync(HttpMethod.Get, "/api/users?page=1&pageSize=2", admin);
        using var oversized = await _users.SendAsync(HttpMethod.Get, "/api/users?page=1&pageSize=100000", admin);
        using var invalid = await _users.SendAsync(HttpMethod.Get, "/api/users?page=0", admin);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var page = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal(2, page.RootElement.GetProperty("items").GetArrayLength());
        Assert.True(page.RootElement.GetProperty("totalCount").GetInt32() >= 3);
        // Refused like every other list (PageRequest), never silently capped: the client learns the limit.
        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        using var problem = JsonDocument.Parse(await oversized.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("pageSize", out _), problem.RootElement.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Admin_gets_a_user_and_404s_a_missing_id()
    {
        var admin = await _users.GetAdminTokenAsync();
        var user = await _users.RegisterAsync();

        using var found = await _users.SendAsync(HttpMethod.Get, $"/api/users/{user.Id}", admin);
        using var missing = await _users.SendAsync(HttpMethod.Get, $"/api/users/{Guid.NewGuid()}", admin);
        using var missingRole = await _users.SendAsync(HttpMethod.Put, $"/api/users/{Guid.NewGuid()}/role", admin, new { role = "admin" });
        using var missingDelete = await _users.SendAsync(HttpMethod.Delete, $"/api/users/{Guid.NewGuid()}", admin);

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(user.Email, (await found.Content.ReadFromJsonAsync<UserDto>())!.Email);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(404, (await UsersApiClient.ReadProblemAsync(missing)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, missingRole.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingDelete.StatusCode);
    }

    [Fact]
    public async Task Admin_changes_a_role_and_the_next_token_carries_it()
    {
        var admin = await _users.GetAdminTokenAsync();
        var user = await _users.RegisterAsync();

        using var badRole = await _users.SendAsync(HttpMethod.Put, $"/api/users/{user.Id}/role", admin, new { role = "root" });
        using var promoted = await _users.SendAsync(HttpMethod.Put, $"/api/users/{user.Id}/role", admin, new { role = "admin" });

        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.True((await UsersApiClient.ReadProblemAsync(badRole)).GetProperty("errors").TryGetProperty("role", out _));
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("admin", (await promoted.Content.ReadFromJsonAsync<UserDto>())!.Role);
        var token = await _users.GetTokenAsync(user.Email, user.Password);
        using var list = await _users.SendAsync(HttpMethod.Get, "/api/users", token);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task A_deactivated_user_cannot_log_in_and_its_tokens_stop_validating()
    {
        var admin = await _users.GetAdminTokenAsync();
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);
        using var before = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using var channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint(ShopResources.UserApi, "grpc"));
        var grpc = new UserService.UserServiceClient(channel);
        Assert.True((await grpc.ValidateTokenAsync(new ValidateTokenRequest { Token = token })).Valid);

        using var deactivate = await _users.SendAsync(HttpMethod.Delete, $"/api/users/{user.Id}", admin);
        using var again = await _users.SendAsync(HttpMethod.Delete, $"/api/users/{user.Id}", admin);

        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        using var after = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var login = await _users.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var validation = await grpc.ValidateTokenAsync(new ValidateTokenRequest { Token = token });
        Assert.False(validation.Valid);
        Assert.NotEmpty(validation.Reason);
        using var record = await _users.SendAsync(HttpMethod.Get, $"/api/users/{user.Id}", admin);
        Assert.False((await record.Content.ReadFromJsonAsync<UserDto>())!.Active);
    }

    public void Dispose() => _users.Dispose();
}
