using System.Reflection;
using Shop.Benchmarks.Infrastructure;
using Shop.Benchmarks.Mix;
using Shop.Benchmarks.Perf;
using Shop.Benchmarks.Processes;
using Shop.Benchmarks.Traces;

// ./shop bench [mix options]            the shopping mix through the gateway (see MixOptions.Usage)
// ./shop bench perf [perf options]     the performance table in one run (see PerfOptions.Usage)
// ./shop bench trace [trace options]   the span breakdown of idle orders (see TraceCommand.Usage)
// ./shop bench scenario NAME... [-- AppHost args]   per-service benchmarks; "all" runs every one
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(60));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

if (args is ["--help" or "-h" or "help", ..])
{
    Console.WriteLine(MixOptions.Usage);
    return 0;
}
if (args is ["perf", .. var perfArgs])
{
    if (perfArgs is ["--help" or "-h"]) { Console.WriteLine(PerfOptions.Usage); return 0; }
    return await PerfCommand.RunAsync(perfArgs, Console.Out, cancel.Token);
}
if (args is ["trace", .. var traceArgs])
{
    if (traceArgs is ["--help" or "-h"]) { Console.WriteLine(TraceCommand.Usage); return 0; }
    return await TraceCommand.RunAsync(traceArgs, Console.Out, cancel.Token);
}
if (args is not ["scenario", .. var rest])
{
    return await MixCommand.RunAsync(args, Console.Out, cancel.Token);
}

var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name)
    .ToList();

var split = Array.IndexOf(rest, "--");
var names = split < 0 ? rest : rest[..split];
var appArgs = split < 0 ? [] : rest[(split + 1)..];
var unknown = names.Except(scenarios.Select(s => s.Name)).Except(["all"]).ToList();
if (names.Length == 0 || unknown.Count > 0)
{
    if (unknown.Count > 0) Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}");
    Console.WriteLine("Scenarios:");
    foreach (var s in scenarios) Console.WriteLine($"  {s.Name,-12} {s.Description}");
    return unknown.Count > 0 ? 2 : 0;
}
var selected = names.Contains("all") ? scenarios : scenarios.Where(s => names.Contains(s.Name)).ToList();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:F1} GiB; loopback only");
Console.WriteLine("Starting the system (AppHost, PostgreSQL, Redis, Kafka, services)...");
await using var app = await ShopApp.StartAsync(BenchCommand.RaisedLimitsSettings, appArgs);
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"== {scenario.Name}: {scenario.Description}");
    await scenario.RunAsync(app, Console.Out, cancel.Token);
}
Console.WriteLine();
Console.WriteLine("Processes of the system:");
var processes = CpuSnapshot.Take(SystemScope.InThisProcess(), withMemory: true);
foreach (var (role, memory) in processes.Memory.OrderBy(m => m.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"  {role,-24} {processes.Processes.Count(p => p.Role == role),3} process(es)  RSS {memory.RssBytes / 1048576.0,7:F1} MiB  PSS {memory.PssBytes / 1048576.0,7:F1} MiB");
}
return 0;
