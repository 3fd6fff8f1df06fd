using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shop.Benchmarks.Infrastructure;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Scenarios;

/// <summary>user-api directly: login (PBKDF2 verification dominates) and an authenticated read of the profile.</summary>
public sealed class UsersBenchmark : IBenchmarkScenario
{
    private const string Password = "benchmark-password";
    private const int LoginWorkers = 2;

    public string Name => "users";

    public string Description => "user-api: POST /api/users/login p50/p99, GET /api/users/me req/s p50/p99";

    public async Task RunAsync(ShopApp app, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = app.CreateHttpClient(ShopResources.UserApi);
        var emails = new string[LoginWorkers];
        for (var i = 0; i < LoginWorkers; i++)
        {
            emails[i] = $"bench-{Guid.NewGuid():N}@example.com";
            await ShopAccounts.RegisterAsync(http, emails[i], Password, $"Bench {i}", cancellationToken);
        }

        // Each worker logs in as its own account, so the failed-login throttle never interferes.
        var login = await LoadRunner.ClosedLoopAsync($"POST /api/users/login ({LoginWorkers} workers)", LoginWorkers, TimeSpan.FromSeconds(20),
            async (worker, _, ct) =>
            {
                using var response = await http.PostAsJsonAsync("/api/users/login", new { email = emails[worker], password = Password }, ct);
                return LoadRunner.Outcome(response);
            }, warmup: TimeSpan.FromSeconds(3));
        output.WriteLine(login);

        using var tokenResponse = await http.PostAsJsonAsync("/api/users/login", new { email = emails[0], password = Password }, cancellationToken);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<TokenReply>(cancellationToken))!.AccessToken;

        var me = await LoadRunner.ClosedLoopAsync("GET /api/users/me (16 workers)", 16, TimeSpan.FromSeconds(20),
            async (_, _, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                return LoadRunner.Outcome(response);
            }, warmup: TimeSpan.FromSeconds(5));
        output.WriteLine(me);
    }

    private sealed record TokenReply(string AccessToken, string TokenType, int ExpiresIn);
}
