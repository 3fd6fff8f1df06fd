using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// A service's <c>GET /health</c> answer as the tests read it: the HTTP status (200, or 503 when down), the overall
/// status and each check's ("UP", "DEGRADED" or "DOWN"; ServiceDefaults' health writer).
/// </summary>
public sealed record HealthAnswer(HttpStatusCode StatusCode, string? Status, IReadOnlyDictionary<string, string?> Checks)
{
    public static async Task<HealthAnswer> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.TryGetProperty("checks", out var entries)
            ? entries.EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetProperty("status").GetString())
            : [];
        return new HealthAnswer(response.StatusCode, body.RootElement.GetProperty("status").GetString(), checks);
    }

    public static async Task<string?> StatusAsync(HttpClient client) => (await ReadAsync(client)).Status;

    /// <summary>The status of the check named <paramref name="name"/>, null when the answer has no such check.</summary>
    public string? Check(string name) => Checks.GetValueOrDefault(name);
}
