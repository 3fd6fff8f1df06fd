using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Users;

public sealed record RegisteredUser(Guid Id, string Email, string Password);

public sealed record UserDto(Guid Id, string Email, string Name, string? Phone, string Role, bool Active, DateTimeOffset CreatedAt);

public sealed record TokenDto(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshTokenExpiresIn);

/// <summary>Helpers for the user-api tests: unique accounts (the app is shared by the whole suite), tokens, the database.</summary>
public sealed class UsersApiClient(ShopAppFixture fixture) : IDisposable
{
    public const string DefaultPassword = "correct-horse-42";

    public HttpClient Http { get; } = fixture.CreateHttpClient(ShopResources.UserApi);

    public static string UniqueEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public async Task<RegisteredUser> RegisterAsync(string? email = null, string password = DefaultPassword)
    {
        email ??= UniqueEmail();
        using var response = await Http.PostAsJsonAsync("/api/users/register", new { email, password, name = "Test User" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<UserDto>();
        return new RegisteredUser(user!.Id, email, password);
    }

    public Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        Http.PostAsJsonAsync("/api/users/login", new { email, password });

    public async Task<string> GetTokenAsync(string email, string password)
    {
        using var response = await LoginAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenDto>())!.AccessToken;
    }

    public async Task<string> GetAdminTokenAsync() =>
        await GetTokenAsync(await GetParameterAsync(ShopParameters.AdminEmail), await GetParameterAsync(ShopParameters.AdminPassword));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }

    /// <summary>A value the AppHost generated or was given (the JWT key, the admin credentials).</summary>
    public async Task<string> GetParameterAsync(string name)
    {
        var model = fixture.App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(r => r.Name == name);
        return await parameter.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException($"Parameter '{name}' has no value.");
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(ShopResources.UsersDb));
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> CountUsersAsync(string email)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM users WHERE normalized_email = upper(@email)", connection);
        command.Parameters.AddWithValue("email", email.Trim());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<string> GetPasswordHashAsync(Guid userId)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT password_hash FROM users WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", userId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public void Dispose() => Http.Dispose();
}
