using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class ServiceHealthTests(ShopAppFixture fixture)
{
    public static TheoryData<string> Projects => new(ShopAppFixture.Projects);

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Every_project_reports_health_as_json(string project)
    {
        using var client = fixture.CreateHttpClient(project);

        var health = await HealthAnswer.ReadAsync(client);
        using var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Contains(health.Status, new[] { "UP", "DEGRADED" });
        Assert.True(health.Checks.ContainsKey("self"));
    }

    [Theory]
    [InlineData(ShopResources.ProductApi)]
    [InlineData(ShopResources.OrderApi)]
    public async Task Both_replicas_answer(string project)
    {
        using var client = fixture.CreateHttpClient(project);
        var instances = new HashSet<string>();

        await Eventually.ReturnsAsync(async () =>
        {
            // A new connection each time: the proxy balances replicas per connection.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { ConnectionClose = true } };
            using var response = await client.SendAsync(request);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            instances.Add(body.RootElement.GetProperty("instance").GetString()!);
            return instances.Count;
        }, count => count == 2, TimeSpan.FromSeconds(20), $"two distinct {project} replicas answer through the proxy");
    }
}
