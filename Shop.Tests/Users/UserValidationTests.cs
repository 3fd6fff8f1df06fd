using System.Text.Json.Nodes;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

[Collection(ShopCollection.Name)]
public sealed class UserValidationTests(ShopAppFixture fixture) : IDisposable
{
    private readonly UsersApiClient _users = new(fixture);

    public static TheoryData<string, string?, string?, string?, string?> BadRegistrations => new()
    {
        // field expected in errors, email ("{unique}" = a fresh valid address), password, name, phone
        { "email", null, "long-enough-password", "Name", null },
        { "email", "", "long-enough-password", "Name", null },
        { "email", "not-an-email", "long-enough-password", "Name", null },
        { "email", "Some One <{unique}>", "long-enough-password", "Name", null },
        { "email", "someone@localhost", "long-enough-password", "Name", null },
        { "email", new string('a', 250) + "{unique}", "long-enough-password", "Name", null },
        { "password", "{unique}", null, "Name", null },
        { "password", "{unique}", "short7!", "Name", null },
        { "password", "{unique}", new string('p', 129), "Name", null },
        { "name", "{unique}", "long-enough-password", null, null },
        { "name", "{unique}", "long-enough-password", "   ", null },
        { "name", "{unique}", "long-enough-password", new string('n', 101), null },
        { "phone", "{unique}", "long-enough-password", "Name", "call me" },
        { "phone", "{unique}", "long-enough-password", "Name", "+" + new string('1', 40) },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registration_is_a_400_naming_the_field_and_writes_nothing(
        string field, string? email, string? password, string? name, string? phone)
    {
        var unique = UsersApiClient.UniqueEmail("invalid");
        email = email?.Replace("{unique}", unique);
        var body = new JsonObject();
        if (email is not null) body["email"] = email;
        if (password is not null) body["password"] = password;
        if (name is not null) body["name"] = name;
        if (phone is not null) body["phone"] = phone;

        using var response = await _users.Http.PostAsJsonAsync("/api/users/register", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await UsersApiClient.ReadProblemAsync(response);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors should name '{field}': {errors}");
        Assert.NotEmpty(messages.EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(0, await _users.CountUsersAsync(unique));
        if (email is { Length: > 0 }) Assert.Equal(0, await _users.CountUsersAsync(email));
    }

    [Fact]
    public async Task Every_bad_field_is_listed_at_once()
    {
        using var response = await _users.Http.PostAsJsonAsync("/api/users/register",
            new { email = "nope", password = "short", name = "", phone = "letters" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await UsersApiClient.ReadProblemAsync(response)).GetProperty("errors");
        Assert.Equal(["email", "name", "password", "phone"], errors.EnumerateObject().Select(p => p.Name).Order().ToArray());
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("{\"email\": 42, \"password\": [], \"name\": {}}")]
    [InlineData("")]
    public async Task A_malformed_body_is_a_400_problem(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await _users.Http.PostAsync("/api/users/register", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await UsersApiClient.ReadProblemAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Bad_profile_update_and_password_change_are_400s_that_change_nothing()
    {
        var user = await _users.RegisterAsync();
        var token = await _users.GetTokenAsync(user.Email, user.Password);

        using var badProfile = await _users.SendAsync(HttpMethod.Put, "/api/users/me", token, new { name = new string('x', 101), phone = "abc" });
        using var badPassword = await _users.SendAsync(HttpMethod.Put, "/api/users/me/password", token,
            new { currentPassword = user.Password, newPassword = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, badProfile.StatusCode);
        var profileErrors = (await UsersApiClient.ReadProblemAsync(badProfile)).GetProperty("errors");
        Assert.True(profileErrors.TryGetProperty("name", out _));
        Assert.True(profileErrors.TryGetProperty("phone", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badPassword.StatusCode);
        Assert.True((await UsersApiClient.ReadProblemAsync(badPassword)).GetProperty("errors").TryGetProperty("newPassword", out _));

        using var me = await _users.SendAsync(HttpMethod.Get, "/api/users/me", token);
        Assert.Equal("Test User", (await me.Content.ReadFromJsonAsync<UserDto>())!.Name);
        using var login = await _users.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    public void Dispose() => _users.Dispose();
}
