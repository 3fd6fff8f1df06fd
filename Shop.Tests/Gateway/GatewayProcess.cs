using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

/// <summary>
/// A second gateway replica next to the one the AppHost runs: the same built Shop.Gateway, started with exactly the
/// environment the AppHost gives its gateway (same Redis, same services, same key), on its own port. Used where a
/// test needs a second replica (limits shared through Redis), a gateway reached without DCP's proxy (so each client's
/// own loopback address arrives) or one with settings of its own; killed (with its process tree) on dispose.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public HttpClient CreateHttpClient() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<GatewayProcess> StartAsync(ShopAppFixture fixture, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var gateway = fixture.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ProjectResource>().Single(r => r.Name == ShopResources.Gateway);
#pragma warning disable CS0618 // Still evaluates a resource's environment exactly as the AppHost hands it over.
        var environment = await gateway.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
        var projectDirectory = Path.GetDirectoryName(gateway.GetProjectMetadata().ProjectPath)!;
        var executable = Directory.GetFiles(Path.Combine(projectDirectory, "bin"), "Shop.Gateway.dll", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();

        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [executable])
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        foreach (var key in start.Environment.Keys.Where(k => k.EndsWith("HTTP_PORTS", StringComparison.Ordinal) || k.EndsWith("HTTPS_PORTS", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = new GatewayProcess(process, address);
        try
        {
            using var client = result.CreateHttpClient();
            await Eventually.ReturnsAsync(async () => (await client.GetAsync("/alive")).StatusCode,
                status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the second gateway process answers /alive");
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
        return result;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
