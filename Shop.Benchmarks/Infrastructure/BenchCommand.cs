using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Infrastructure;

/// <summary>What the bench's commands (mix, perf, trace) do alike: read their options, find or start the system, write the report.</summary>
public static class BenchCommand
{
    /// <summary>
    /// Settings (in the run's copy of shop.settings.json) that lift the gateway's rate limits: the limiter still runs
    /// on every request, with limits out of reach, so a run measures the services, not the limiter.
    /// </summary>
    public static readonly (string Key, JsonNode Value)[] RaisedLimitsSettings =
    [
        .. new[] { "Default", "Groups:login" }.SelectMany(bucket => new (string, JsonNode)[]
        {
            ($"Gateway:RateLimiting:{bucket}:TokenLimit", 1_000_000_000),
            ($"Gateway:RateLimiting:{bucket}:TokensPerPeriod", 1_000_000_000),
        }),
    ];

    /// <summary>Reads the command's options; on a mistake writes it and the usage, and the command exits 2.</summary>
    public static bool TryParse<T>(Func<T> parse, string usage, TextWriter output, [MaybeNullWhen(false)] out T options)
    {
        try
        {
            options = parse();
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            output.WriteLine(ex.Message);
            output.WriteLine(usage);
            options = default;
            return false;
        }
    }

    /// <summary>The running system's processes, or null after telling <paramref name="why"/> they were not found.</summary>
    public static SystemScope? TryFindRunning(int? appHostPid, Action<string> why)
    {
        try
        {
            return SystemScope.FindRunning(appHostPid);
        }
        catch (InvalidOperationException ex)
        {
            why(ex.Message);
            return null;
        }
    }

    /// <summary>Starts the system (Release build) with the gateway's rate limits raised, saying so first.</summary>
    public static Task<ShopApp> StartSystemAsync(bool dashboard, TextWriter output)
    {
        output.WriteLine($"Starting the system (Release build, dashboard {(dashboard ? "on" : "off")}) ...");
        return ShopApp.StartAsync(RaisedLimitsSettings, dashboard: dashboard);
    }

    /// <summary>Writes &lt;name&gt;.json and &lt;name&gt;.html into the directory, then prints the report's text and where its files are.</summary>
    public static async Task WriteReportAsync(TextWriter output, string directory, string name, string json, string html, string text)
    {
        Directory.CreateDirectory(directory);
        (string Path, string Content)[] files = [(Path.Combine(directory, $"{name}.json"), json), (Path.Combine(directory, $"{name}.html"), html)];
        foreach (var file in files) await File.WriteAllTextAsync(file.Path, file.Content);
        output.WriteLine();
        output.Write(text);
        foreach (var file in files) output.WriteLine($"report: {Path.GetFullPath(file.Path)}");
    }
}
