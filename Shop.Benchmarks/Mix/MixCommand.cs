using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Processes;
using Shop.ServiceDefaults.Configuration;

namespace Shop.Benchmarks.Mix;

/// <summary>`./shop bench`: the shopping mix, against a running gateway or a system it starts itself.</summary>
public static class MixCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (!BenchCommand.TryParse(() => MixOptions.Parse(args), MixOptions.Usage, output, out var options)) return 2;

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
                scope = BenchCommand.TryFindRunning(options.AppHostPid, why => notes.Add($"Service processes not measured: {why}"));
            }
            else
            {
                app = await BenchCommand.StartSystemAsync(options.Dashboard, output);
                if (options.Dashboard) output.WriteLine($"Dashboard (traces, metrics, logs of the run): {app.DashboardLoginUrl}");
                target = app.GetEndpoint(ShopResources.Gateway);
                if (options.HasPages) options = options with { StorefrontTarget = app.GetEndpoint(ShopResources.WebApp) };
                scope = SystemScope.InThisProcess();
                notes.Add("The gateway's rate limits were raised for this run (Gateway:RateLimiting:… in the run's settings file), so the figures measure the services, not the limiter.");
            }
            notes.Add($"Machine: {Environment.ProcessorCount} cores; generator and system share it (loopback).");

            var (report, exitCode) = await new MixRunner(options, output, scope).RunAsync(target, notes, cancellationToken);
            await ReportWriter.WriteAsync(report, options.ReportDirectory, output);
            return exitCode;
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
        }
    }
}
