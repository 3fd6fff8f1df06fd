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

    /// <returns>The access token (for runs shorter than its lifetime; longer ones use <see cref="ShopSession"/>).</returns>
    public static async Task<string> LoginAsync(HttpClient http, string email, string password, CancellationToken cancellationToken) =>
        (await LoginForGrantAsync(http, email, password, TimeProvider.System, cancellationToken)).AccessToken;

    /// <returns>The login answer: access token, its expiry and the refresh token when user-api issues one.</returns>
    public static async Task<TokenGrant> LoginForGrantAsync(HttpClient http, string email, string password, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/users/login", new { email, password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Logging in {email} failed: {(int)response.StatusCode}");
        }
        return TokenGrant.Parse(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken), timeProvider.GetUtcNow());
    }

    public static async Task<string> RegisterAndLoginAsync(HttpClient http, string email, string password, string name,
        CancellationToken cancellationToken)
    {
        await RegisterAsync(http, email, password, name, cancellationToken);
        return await LoginAsync(http, email, password, cancellationToken);
    }

    /// <summary>A new customer with a session that renews its token for as long as the run lasts.</summary>
    public static async Task<ShopSession> RegisterSessionAsync(HttpClient http, string email, string password, string name,
        CancellationToken cancellationToken)
    {
        await RegisterAsync(http, email, password, name, cancellationToken);
        return await ShopSession.LoginAsync(http, email, password, cancellationToken);
    }
}
