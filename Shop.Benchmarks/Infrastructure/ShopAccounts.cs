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
                $"Registering {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}{LimitHint(response)}");
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
            throw new InvalidOperationException($"Logging in {email} failed: {(int)response.StatusCode}{LimitHint(response)}");
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

    /// <summary>
    /// For a 429: the gateway limited the bench's own setup. A system the bench starts has its limits raised; a running
    /// one (--target) keeps its settings file's, which the run must raise first (README, "The performance table").
    /// </summary>
    private static string LimitHint(HttpResponseMessage response) => response.StatusCode == System.Net.HttpStatusCode.TooManyRequests
        ? ". The gateway's rate limit refused it: against a running system, raise Gateway:RateLimiting's TokenLimit and"
          + " TokensPerPeriod (Default and Groups:login) in the settings file it reads (./shop run: Shop.AppHost/shop.settings.json,"
          + $" reloaded live), then wait for the bucket's reset ({response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 60} s)"
        : "";
}
