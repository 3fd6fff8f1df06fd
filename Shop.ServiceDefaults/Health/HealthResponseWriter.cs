using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON, each status named UP, DEGRADED or DOWN: one vocabulary in every service's and the
/// gateway's /health. Degraded still answers 200: the instance serves traffic, with a dependency impaired.
/// </summary>
public static class HealthResponseWriter
{
    public static readonly IDictionary<HealthStatus, int> StatusCodes = new Dictionary<HealthStatus, int>
    {
        [HealthStatus.Healthy] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Degraded] = Microsoft.AspNetCore.Http.StatusCodes.Status200OK,
        [HealthStatus.Unhealthy] = Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable,
    };

    public static string ToStatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "UP",
        HealthStatus.Degraded => "DEGRADED",
        _ => "DOWN",
    };

    /// <summary>Which replica answered: Aspire's service.instance.id when present, else host and process id.</summary>
    public static string InstanceId { get; } =
        (Environment.GetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0] == "service.instance.id")
            .Select(kv => kv[1])
            .FirstOrDefault() ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Status, this replica's id, and per check its status, description and duration: for a service's own port.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report) => WriteAsync(context, report, HealthDetail.Full);

    /// <summary>
    /// Only UP / DEGRADED / DOWN, overall and per check: for a public port (the gateway's). A check's description may
    /// hold addresses or, for a check that threw, the exception's message.
    /// </summary>
    public static Task WriteStatusOnlyAsync(HttpContext context, HealthReport report) => WriteAsync(context, report, HealthDetail.StatusOnly);

    private static Task WriteAsync(HttpContext context, HealthReport report, HealthDetail detail)
    {
        var full = detail == HealthDetail.Full;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", ToStatusName(report.Status));
            if (full)
            {
                json.WriteString("instance", InstanceId);
                json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 2));
            }
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", ToStatusName(entry.Status));
                if (full)
                {
                    if (entry.Description is { Length: > 0 } description)
                    {
                        json.WriteString("description", description);
                    }
                    json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 2));
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}

/// <summary>How much a /health answer tells: everything (a service's own port) or statuses only (a public port).</summary>
public enum HealthDetail
{
    Full,
    StatusOnly,
}
