using System.IdentityModel.Tokens.Jwt;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

/// <summary>
/// A change to an account that affects what its tokens may do (deactivation, role change, logout,
/// refresh-token reuse, password change) takes effect on the gateway and on every service within seconds, with the
/// token issued before it.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class AccountRevocationTests(ShopAppFixture fixture) : IDisposable
{
    private static readonly TimeSpan FewSeconds = TimeSpan.FromSeconds(5);

    private readonly AccountSessionClient _sessions = new(fixture);

    [Fact]
    public async Task A_deactivated_customer_s_old_token_is_refused_everywhere_within_seconds()
    {
        var orders = _sessions.Orders;
        var (product, user, tokens) = await _sessions.CustomerWithProductAsync();
        var token = tokens.AccessToken;
        var toPay = await orders.CreateOrderAsync(token, (product.Id, 1));
        var toCancel = await orders.CreateOrderAsync(token, (product.Id, 1));
        var gateway = _sessions.Gateway;
        await AccountSessionClient.ExpectStatusAsync(gateway, HttpMethod.Get, "/api/notifications", token, HttpStatusCode.OK);

        await AccountSessionClient.ExpectStatusAsync(gateway, HttpMethod.Delete, $"/api/users/{user.Id}", await orders.AdminTokenAsync(), HttpStatusCode.NoContent);

        var unauthorized = HttpStatusCode.Unauthorized;
        var payment = new { method = "card", cardNumber = "4242424242424242" };
        // Through the gateway, and straight to each service (which must not rely on the gateway).
        foreach (var client in new[] { gateway, orders.Orders })
        {
            await AccountSessionClient.WaitForStatusAsync(client, HttpMethod.Get, "/api/orders", token, unauthorized, FewSeconds);
            await AccountSessionClient.WaitForStatusAsync(client, HttpMethod.Post, $"/api/orders/{toPay.Id}/pay", token, unauthorized, FewSeconds, payment);
            await AccountSessionClient.WaitForStatusAsync(client, HttpMethod.Post, $"/api/orders/{toCancel.Id}/cancel", token, unauthorized, FewSeconds);
        }
        foreach (var client in new[] { gateway, orders.Notifier })
        {
            await AccountSessionClient.WaitForStatusAsync(client, HttpMethod.Get, "/api/notifications", token, unauthorized, FewSeconds);
        }
        await AccountSessionClient.WaitForStatusAsync(gateway, HttpMethod.Get, "/api/users/me", token, unauthorized, FewSeconds);

        foreach (var order in new[] { toPay, toCancel })
        {
            Assert.Equal(1, await orders.ScalarAsync(ShopResources.OrdersDb, """SELECT count(*) FROM orders WHERE "Id" = @id AND "Status" = 'Pending'""", ("id", order.Id)));
        }
        using var refresh = await _sessions.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task A_demoted_admin_loses_the_admin_routes_within_seconds_and_a_refresh_carries_the_new_role()
    {
        var (user, _) = await _sessions.RegisterAndLoginAsync();
        var rootAdmin = await _sessions.Orders.AdminTokenAsync();
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Put, $"/api/users/{user.Id}/role", rootAdmin, HttpStatusCode.OK, new { role = "admin" });
        var tokens = await _sessions.LoginAsync(user.Email, user.Password);
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/users", tokens.AccessToken, HttpStatusCode.OK);

        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Put, $"/api/users/{user.Id}/role", rootAdmin, HttpStatusCode.OK, new { role = "customer" });

        await AccountSessionClient.WaitForStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/users", tokens.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Orders.Products, HttpMethod.Post, "/api/products", tokens.AccessToken,
            HttpStatusCode.Unauthorized, FewSeconds, new { });

        using var refresh = await _sessions.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var renewed = (await refresh.Content.ReadFromJsonAsync<TokenDto>())!;
        Assert.Equal("customer", new JwtSecurityTokenHandler().ReadJwtToken(renewed.AccessToken).Claims.Single(c => c.Type == "role").Value);
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/users", renewed.AccessToken, HttpStatusCode.Forbidden);
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/users/me", renewed.AccessToken, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_answers_a_short_lived_access_token_and_a_refresh_token_that_rotates_through_the_gateway()
    {
        var (_, tokens) = await _sessions.RegisterAndLoginAsync();
        var access = new JwtSecurityTokenHandler().ReadJwtToken(tokens.AccessToken);
        Assert.Equal(300, tokens.ExpiresIn);
        Assert.InRange(access.ValidTo - access.IssuedAt, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.1));
        Assert.InRange(tokens.RefreshTokenExpiresIn, 14 * 86400 - 60, 14 * 86400);
        Assert.True(Guid.TryParse(access.Claims.Single(c => c.Type == "sid").Value, out var sessionId));
        Assert.Equal("0", access.Claims.Single(c => c.Type == "sstamp").Value);

        using var refresh = await _sessions.RefreshAsync(tokens.RefreshToken, via: _sessions.Gateway);

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var renewed = (await refresh.Content.ReadFromJsonAsync<TokenDto>())!;
        Assert.NotEqual(tokens.RefreshToken, renewed.RefreshToken);
        Assert.Equal(sessionId.ToString(), new JwtSecurityTokenHandler().ReadJwtToken(renewed.AccessToken).Claims.Single(c => c.Type == "sid").Value);
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/users/me", renewed.AccessToken, HttpStatusCode.OK);
        // Only the hash is stored.
        await using var connection = await _sessions.Users.OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM refresh_tokens WHERE family_id = @family", connection);
        command.Parameters.AddWithValue("family", sessionId);
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_session()
    {
        var (_, tokens) = await _sessions.RegisterAndLoginAsync();
        using var first = await _sessions.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<TokenDto>())!;

        using var reuse = await _sessions.RefreshAsync(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal(401, (await UsersApiClient.ReadProblemAsync(reuse)).GetProperty("status").GetInt32());
        using var successor = await _sessions.RefreshAsync(rotated.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", rotated.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Orders.Notifier, HttpMethod.Get, "/api/notifications", rotated.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
    }

    [Fact]
    public async Task Logout_ends_the_refresh_token_and_the_session_s_access_token_everywhere()
    {
        var (user, tokens) = await _sessions.RegisterAndLoginAsync();
        var other = await _sessions.LoginAsync(user.Email, user.Password);
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", tokens.AccessToken, HttpStatusCode.OK);

        using var logout = await _sessions.LogoutAsync(tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var refresh = await _sessions.RefreshAsync(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", tokens.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Orders.Orders, HttpMethod.Get, "/api/orders", tokens.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Users.Http, HttpMethod.Get, "/api/users/me", tokens.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        // The account's other session is untouched.
        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", other.AccessToken, HttpStatusCode.OK);
        using var unknown = await _sessions.LogoutAsync("not-a-token");
        Assert.Equal(HttpStatusCode.NoContent, unknown.StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_the_account_s_other_sessions_but_not_its_own()
    {
        var (user, mine) = await _sessions.RegisterAndLoginAsync();
        var other = await _sessions.LoginAsync(user.Email, user.Password);

        using var change = await AccountSessionClient.SendAsync(_sessions.Gateway, HttpMethod.Put, "/api/users/me/password", mine.AccessToken,
            new { currentPassword = user.Password, newPassword = "a-brand-new-password" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", other.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        await AccountSessionClient.WaitForStatusAsync(_sessions.Orders.Notifier, HttpMethod.Get, "/api/notifications", other.AccessToken, HttpStatusCode.Unauthorized, FewSeconds);
        using var otherRefresh = await _sessions.RefreshAsync(other.RefreshToken);
        Assert.Equal(HttpStatusCode.Unauthorized, otherRefresh.StatusCode);

        await AccountSessionClient.ExpectStatusAsync(_sessions.Gateway, HttpMethod.Get, "/api/orders", mine.AccessToken, HttpStatusCode.OK);
        using var myRefresh = await _sessions.RefreshAsync(mine.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, myRefresh.StatusCode);
    }

    [Fact]
    public async Task A_token_without_session_claims_is_refused()
    {
        var (user, tokens) = await _sessions.RegisterAndLoginAsync();
        var issued = new JwtSecurityTokenHandler().ReadJwtToken(tokens.AccessToken);
        var key = await _sessions.Users.GetParameterAsync(ShopParameters.JwtSigningKey);
        var legacy = new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(issued.Issuer, issued.Audiences.Single(),
            [new System.Security.Claims.Claim("sub", user.Id.ToString()), new System.Security.Claims.Claim("role", "customer")],
            DateTime.UtcNow.AddSeconds(-5), DateTime.UtcNow.AddMinutes(5),
            new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), "HS256")));

        foreach (var client in new[] { _sessions.Gateway, _sessions.Orders.Orders })
        {
            await AccountSessionClient.ExpectStatusAsync(client, HttpMethod.Get, "/api/orders", legacy, HttpStatusCode.Unauthorized);
        }
    }

    public void Dispose() => _sessions.Dispose();
}
