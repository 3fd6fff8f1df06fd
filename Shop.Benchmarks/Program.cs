using System.Reflection;
using Shop.Benchmarks.Infrastructure;

// Usage: dotnet run -c Release --project Shop.Benchmarks -- [scenario ...] [-- AppHost args]
// With no scenario, lists them. "all" runs every scenario against one started system.
var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmarkScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name)
    .ToList();

var split = Array.IndexOf(args, "--");
var names = split < 0 ? args : args[..split];
var appArgs = split < 0 ? [] : args[(split + 1)..];

if (names.Length == 0)
{
    Console.WriteLine("Scenarios:");
    foreach (var s in scenarios) Console.WriteLine($"  {s.Name,-12} {s.Description}");
    return 0;
}

var selected = names.Contains("all") ? scenarios : scenarios.Where(s => names.Contains(s.Name)).ToList();
var unknown = names.Except(scenarios.Select(s => s.Name)).Except(["all"]).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown scenario(s): {string.Join(", ", unknown)}");
    return 2;
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:F1} GiB; loopback only");
Console.WriteLine("Starting the system (AppHost, PostgreSQL, Redis, Kafka, services)...");
Console.WriteLine($"Gateway rate limits RAISED for benchmarking: {string.Join(" ", ShopApp.RaisedRateLimitArgs)}");
await using var app = await ShopApp.StartAsync(appArgs);
using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
foreach (var scenario in selected)
{
    Console.WriteLine();
    Console.WriteLine($"== {scenario.Name}: {scenario.Description}");
    await scenario.RunAsync(app, Console.Out, cts.Token);
}
Console.WriteLine();
Console.WriteLine("Service processes:");
Console.WriteLine(ProcessStats.Describe());
return 0;
