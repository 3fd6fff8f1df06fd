using System.Net;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Traces;

/// <summary>
/// Aspire's dashboard telemetry HTTP API (Aspire 13: <c>GET /api/telemetry/traces/{traceId}</c> answers the trace's spans as
/// OTLP JSON; 404 until one of its spans has arrived). The address and the API key are the dashboard process's own
/// environment (<c>ASPNETCORE_URLS</c>, <c>DASHBOARD__API__PRIMARYAPIKEY</c>, sent as <c>X-API-Key</c>), read from /proc,
/// which works the same whether the bench started the system or runs against `./shop run` (same user, same machine).
/// </summary>
public sealed class DashboardTelemetry(Uri address, string? apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };

    public Uri Address { get; } = address;

    /// <summary>The dashboard of this system, or null with the reason when there is none to ask.</summary>
    public static (DashboardTelemetry? Dashboard, string? Reason) Find(SystemScope scope)
    {
        var process = scope.Processes().FirstOrDefault(p => p.Role == ProcessRoles.Dashboard);
        if (process is null) return (null, "the dashboard is off (it is what collects the spans): start with --dashboard, or use --target against ./shop run");
        IReadOnlyDictionary<string, string> environment;
        try
        {
            environment = ReadEnvironment(process.Pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"the dashboard's environment (/proc/{process.Pid}/environ) is not readable: {ex.Message}");
        }
        if (environment.GetValueOrDefault("DASHBOARD__API__ENABLED") is { } enabled && bool.TryParse(enabled, out var on) && !on)
        {
            return (null, "the dashboard's telemetry API is disabled (DASHBOARD__API__ENABLED)");
        }
        var url = (environment.GetValueOrDefault("ASPNETCORE_URLS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .OrderBy(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) // plain http first: no certificate to trust
            .Select(u => Uri.TryCreate(u.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost"), UriKind.Absolute, out var uri) ? uri : null)
            .FirstOrDefault(u => u is not null);
        return url is null
            ? (null, $"the dashboard (pid {process.Pid}) has no ASPNETCORE_URLS to reach it at")
            : (new DashboardTelemetry(url, environment.GetValueOrDefault("DASHBOARD__API__PRIMARYAPIKEY")), null);
    }

    /// <summary>/proc/&lt;pid&gt;/environ: NUL-separated NAME=value pairs.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvironment(int pid) =>
        ParseEnvironment(File.ReadAllText($"/proc/{pid}/environ"));

    public static IReadOnlyDictionary<string, string> ParseEnvironment(string environ)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in environ.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=');
            if (equals > 0) variables[entry[..equals]] = entry[(equals + 1)..];
        }
        return variables;
    }

    /// <returns>The trace's spans so far; empty while the dashboard has none (404).</returns>
    /// <exception cref="HttpRequestException">The dashboard refused the call (401: wrong key) or failed.</exception>
    public async Task<IReadOnlyList<TraceSpan>> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/telemetry/traces/{traceId}");
        if (apiKey is { Length: > 0 }) request.Headers.Add("X-API-Key", apiKey);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The dashboard's telemetry API answered {(int)response.StatusCode} for trace {traceId}.", null, response.StatusCode);
        }
        return OtlpJson.ParseSpans(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();
}
