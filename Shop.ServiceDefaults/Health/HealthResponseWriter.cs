using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON with the original design's UP / DEGRADED / DOWN vocabulary.
/// Degraded still answers 200: the instance serves traffic, with a dependency impaired.
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

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", ToStatusName(report.Status));
            json.WriteString("instance", InstanceId);
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 2));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", ToStatusName(entry.Status));
                if (entry.Description is { Length: > 0 } description)
                {
                    json.WriteString("description", description);
                }
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 2));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }
}
