using Shop.Tests.Infrastructure;

namespace Shop.Tests.Gateway;

[Collection(ShopCollection.Name)]
public sealed class GatewaySettingsPrecedenceTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task An_environment_variable_wins_over_the_shared_settings_file()
    {
        // The run's shop.settings.json allows 1 MiB bodies; this one gateway process is given 1 KiB in its environment.
        await using var gateway = await GatewayProcess.StartAsync(fixture, new Dictionary<string, string>
        {
            ["Gateway__MaxRequestBodySize"] = "1024",
        });
        using var client = gateway.CreateHttpClient();

        using var response = await client.PostAsync("/api/orders", new ByteArrayContent(new byte[2048]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1024 bytes", await response.Content.ReadAsStringAsync());
    }
}
