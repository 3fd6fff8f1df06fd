using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>The test app's real ordersdb, for tests of order-api's statements.</summary>
internal static class OrdersDatabase
{
    /// <summary>A new <see cref="OrdersDbContext"/> on the test app's ordersdb; the caller disposes it.</summary>
    public static async Task<OrdersDbContext> OrdersDbContextAsync(this ShopAppFixture fixture) =>
        new(new DbContextOptionsBuilder<OrdersDbContext>()
            .UseNpgsql(await fixture.GetConnectionStringAsync(ShopResources.OrdersDb)).Options);
}
