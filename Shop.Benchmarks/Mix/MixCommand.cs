using System.Text.Json.Nodes;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Processes;

namespace Shop.Benchmarks.Mix;

/// <summary>`./shop bench`: the shopping mix, against a running gateway or a system it starts itself.</summary>
public static class MixCommand
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

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        MixOptions options;
        try
        {
            options = MixOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            output.WriteLine(ex.Message);
            output.WriteLine(MixOptions.Usage);
            return 2;
        }

        var notes = new List<string>();
        ShopApp? app = null;
        try
        {
            Uri target;
            SystemScope? scope;
            if (options.Target is { } given)
            {
                target = given;
                notes.Add("Against a running system: its gateway rate limits apply as configured there.");
                scope = TryFindRunning(options.AppHostPid, notes);
            }
            else
            {
                output.WriteLine($"Starting the system (Release build, dashboard {(options.Dashboard ? "on" : "off")}) ...");
                app = await ShopApp.StartAsync(RaisedLimitsSettings, dashboard: options.Dashboard);
                if (options.Dashboard) output.WriteLine($"Dashboard (traces, metrics, logs of the run): {app.DashboardLoginUrl}");
                target = app.GetEndpoint("gateway");
                if (options.HasPages) options = options with { StorefrontTarget = app.GetEndpoint("webapp") };
                scope = SystemScope.InThisProcess();
                notes.Add("The gateway's rate limits were raised for this run (Gateway:RateLimiting:… in the run's settings file), so the figures measure the services, not the limiter.");
            }
            notes.Add($"Machine: {Environment.ProcessorCount} cores; generator and system share it (loopback).");

            var (report, exitCode) = await new MixRunner(options, output, scope).RunAsync(target, notes, cancellationToken);
            var (json, html) = await ReportWriter.WriteAsync(report, options.ReportDirectory);
            output.WriteLine();
            output.Write(ReportWriter.Summary(report));
            output.WriteLine($"report: {Path.GetFullPath(json)}");
            output.WriteLine($"report: {Path.GetFullPath(html)}");
            return exitCode;
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
        }
    }

    /// <summary>The running system's processes, or null with a note saying why its services are not measured.</summary>
    public static SystemScope? TryFindRunning(int? appHostPid, List<string> notes)
    {
        try
        {
            return SystemScope.FindRunning(appHostPid);
        }
        catch (InvalidOperationException ex)
        {
            notes.Add($"Service processes not measured: {ex.Message}");
            return null;
        }
    }
}
