using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Shop.Tests.ServiceDefaults;

/// <summary>A real Kestrel app with the service defaults, stopped while a request is in flight.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_turns_health_down_at_once_and_lets_the_in_flight_request_finish()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        var requestStarted = new TaskCompletionSource();
        app.MapGet("/slow", async () =>
        {
            requestStarted.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(2));
            return "done";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var inFlight = client.GetStringAsync("/slow");
        await requestStarted.Task;
        var stopping = app.StopAsync();

        var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(HealthStatus.Unhealthy, health.Entries["shutdown"].Status);

        Assert.Equal("done", await inFlight);
        await stopping;
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Health_answers_json_with_up_down_names_and_503_when_unhealthy()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("broken-dependency", () => HealthCheckResult.Unhealthy("connection refused"));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var health = await client.GetAsync("/health");
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("DOWN", body.RootElement.GetProperty("status").GetString());
        var check = body.RootElement.GetProperty("checks").GetProperty("broken-dependency");
        Assert.Equal("DOWN", check.GetProperty("status").GetString());
        Assert.Equal("connection refused", check.GetProperty("description").GetString());
        // Liveness ignores dependencies: the process itself is fine.
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        await app.StopAsync();
    }
}
