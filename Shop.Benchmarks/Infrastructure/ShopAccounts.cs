using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>Registering and logging in benchmark customers, against user-api directly or through the gateway.</summary>
public static class ShopAccounts
{
    public static async Task RegisterAsync(HttpClient http, string email, string password, string name, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/users/register", new { email, password, name }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"Registering {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <returns>The access token.</returns>
    public static async Task<string> LoginAsync(HttpClient http, string email, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/users/login", new { email, password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Logging in {email} failed: {(int)response.StatusCode}");
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.TryGetProperty("accessToken", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("The login answer has no accessToken.");
    }

    public static async Task<string> RegisterAndLoginAsync(HttpClient http, string email, string password, string name,
        CancellationToken cancellationToken)
    {
        await RegisterAsync(http, email, password, name, cancellationToken);
        return await LoginAsync(http, email, password, cancellationToken);
    }
}
