using System.Security.Cryptography;
using System.Text;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

[Collection(ShopCollection.Name)]
public sealed class UserAccountTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);

    [Fact]
    public async Task Register_login_read_update_and_change_password()
    {
        var email = UsersApiClient.UniqueEmail();
        using var registered = await _users.Http.PostAsJsonAsync("/api/users/register",
            new { email, password = "first-password", name = "Ada", phone = "+44 20 7946 0000" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var user = (await registered.Content.ReadFromJsonAsync<UserDto>())!;
        Assert.Equal($"/api/users/{user.Id}", registered.Headers.Location?.OriginalString);
        Assert.Equal(email, user.Email);
        Assert.Equal("customer", user.Role);
        Assert.True(user.Active);
        Assert.DoesNotContain("password", await registered.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        using var login = await _users.LoginAsync(email, "first-password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<TokenDto>())!;
        Assert.Equal("Bearer", token.TokenType);
        Assert.True(token.ExpiresIn > 0);
        var claims = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ReadJwtToken(token.AccessToken);
        Assert.Equal(user.Id.ToString(), claims.Subject);
        Assert.Equal(email, claims.Claims.Single(c => c.Type == "email").Value);
        Assert.Equal("customer", claims.Claims.Single(c => c.Type == "role").Value);
        Assert.False(string.IsNullOrEmpty(claims.Id));
        Assert.NotEmpty(claims.Audiences);
        Assert.False(string.IsNullOrEmpty(claims.Issuer));
        Assert.True(claims.ValidTo > DateTime.UtcNow);

        using var me = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = (await me.Content.ReadFromJsonAsync<UserDto>())!;
        Assert.Equal(user.Id, profile.Id);
        Assert.Equal("Ada", profile.Name);
        Assert.Equal(TimeSpan.Zero, profile.CreatedAt.Offset);

        using var update = await _users.SendAsync(HttpMethod.Put, "/api/users/me", token.AccessToken, new { name = "Ada Lovelace", phone = "+44 1" + "234 5678" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using var reread = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token.AccessToken);
        var updated = (await reread.Content.ReadFromJsonAsync<UserDto>())!;
        Assert.Equal("Ada Lovelace", updated.Name);
        Assert.Equal("+44 1234 5678", updated.Phone);

        using var wrongCurrent = await _users.SendAsync(HttpMethod.Put, "/api/users/me/password", token.AccessToken,
            new { currentPassword = "not-the-password", newPassword = "second-password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await UsersApiClient.ReadProblemAsync(wrongCurrent)).GetProperty("errors").TryGetProperty("currentPassword", out _));

        using var change = await _users.SendAsync(HttpMethod.Put, "/api/users/me/password", token.AccessToken,
            new { currentPassword = "first-password", newPassword = "second-password" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        using var oldLogin = await _users.LoginAsync(email, "first-password");
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        using var newLogin = await _users.LoginAsync(email.ToUpperInvariant(), "second-password");
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
    }

    [Fact]
    public async Task Duplicate_email_is_a_conflict_whatever_its_case()
    {
        var user = await _users.RegisterAsync();

        using var again = await _users.Http.PostAsJsonAsync("/api/users/register",
            new { email = "  " + user.Email.ToUpperInvariant() + " ", password = "another-password", name = "Someone else" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(409, (await UsersApiClient.ReadProblemAsync(again)).GetProperty("status").GetInt32());
        Assert.Equal(1, await _users.CountUsersAsync(user.Email));
    }

    [Fact]
    public async Task Twenty_concurrent_registrations_of_one_email_create_exactly_one_account()
    {
        var email = UsersApiClient.UniqueEmail("race");
        var statuses = await AllAtOnce.RunAsync(20, async i =>
        {
            using var response = await _users.Http.PostAsJsonAsync("/api/users/register",
                new { email = i % 2 == 0 ? email : email.ToUpperInvariant(), password = $"password-{i:00}", name = $"Racer {i}" });
            return response.StatusCode;
        });

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1, await _users.CountUsersAsync(email));
    }

    [Fact]
    public async Task The_stored_password_is_a_pbkdf2_hash_not_the_plain_text()
    {
        var user = await _users.RegisterAsync();

        var stored = await _users.GetPasswordHashAsync(user.Id);

        Assert.DoesNotContain(user.Password, stored);
        var bytes = Convert.FromBase64String(stored);
        Assert.Equal(0x01, bytes[0]); // ASP.NET Core Identity v3 format: PBKDF2 with a per-user salt
        Assert.NotEqual(stored, await _users.GetPasswordHashAsync((await _users.RegisterAsync()).Id));
    }

    [Fact]
    public async Task Login_upgrades_a_hash_made_with_old_parameters()
    {
        var user = await _users.RegisterAsync();
        await using (var connection = await _users.OpenDatabaseAsync())
        {
            await using var command = new Npgsql.NpgsqlCommand("UPDATE users SET password_hash = @hash WHERE id = @id", connection);
            command.Parameters.AddWithValue("hash", IdentityV2Hash(user.Password));
            command.Parameters.AddWithValue("id", user.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        using var login = await _users.LoginAsync(user.Email, user.Password);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(0x01, Convert.FromBase64String(await _users.GetPasswordHashAsync(user.Id))[0]);
        using var again = await _users.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var user = await _users.RegisterAsync();

        using var wrongPassword = await _users.LoginAsync(user.Email, "not-my-password");
        using var unknownEmail = await _users.LoginAsync(UsersApiClient.UniqueEmail("nobody"), "not-my-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        var first = await UsersApiClient.ReadProblemAsync(wrongPassword);
        var second = await UsersApiClient.ReadProblemAsync(unknownEmail);
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Repeated_failed_logins_are_throttled_per_client_with_retry_after()
    {
        var user = await _users.RegisterAsync();

        for (var i = 0; i < 3; i++)
        {
            using var failure = await _users.LoginAsync(user.Email, "wrong-password");
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }
        using var throttled = await _users.LoginAsync(user.Email, user.Password);

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter.Value);
        Assert.Equal(429, (await UsersApiClient.ReadProblemAsync(throttled)).GetProperty("status").GetInt32());

        // Another account is not affected, nor is this account from another client (user-api trusts the loopback
        // proxy's X-Forwarded-For, as it does the gateway's).
        var other = await _users.RegisterAsync();
        using var otherLogin = await _users.LoginAsync(other.Email, other.Password);
        Assert.Equal(HttpStatusCode.OK, otherLogin.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/users/login") { Content = JsonContent.Create(new { email = user.Email, password = user.Password }) };
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var elsewhere = await _users.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_users_api()
    {
        using var response = await _users.Http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync();
        Assert.Contains("/api/users/register", document);
        Assert.Contains("/api/users/{id}", document);
        Assert.Contains("\"bearer\"", document);
    }

    // ASP.NET Core Identity's v2 format: 0x00 | salt (16) | PBKDF2-HMAC-SHA1, 1000 iterations (32).
    private static string IdentityV2Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, 1000, HashAlgorithmName.SHA1, 32);
        return Convert.ToBase64String([0x00, .. salt, .. subkey]);
    }

    public void Dispose() => _users.Dispose();
}
