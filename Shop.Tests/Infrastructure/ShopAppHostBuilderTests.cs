using System.Text.Json.Nodes;
using Shop.Testing;

namespace Shop.Tests.Infrastructure;

public sealed class ShopAppHostBuilderTests
{
    [Fact]
    public void One_settings_value_can_be_written_into_the_settings_of_every_run()
    {
        // The fixture and the benchmarks keep their settings in static arrays and start more than one app a process.
        JsonNode limit = 1_000_000;
        var first = new JsonObject();
        var second = new JsonObject { ["Gateway"] = new JsonObject { ["Cors"] = new JsonObject() } };

        ShopAppHostBuilder.Set(first, "Gateway:RateLimiting:Default:TokenLimit", limit);
        ShopAppHostBuilder.Set(second, "Gateway:RateLimiting:Default:TokenLimit", limit);

        Assert.Equal(1_000_000, first["Gateway"]!["RateLimiting"]!["Default"]!["TokenLimit"]!.GetValue<int>());
        Assert.Equal(1_000_000, second["Gateway"]!["RateLimiting"]!["Default"]!["TokenLimit"]!.GetValue<int>());
        Assert.NotNull(second["Gateway"]!["Cors"]);
    }
}
