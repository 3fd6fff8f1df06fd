using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Data;

namespace Shop.OrderApi.Infrastructure;

/// <summary>For <c>dotnet ef</c>: <see cref="OrdersDbContext"/> on ordersdb (see <see cref="ShopDesignTimeDbContextFactory{TContext}"/>).</summary>
public sealed class OrdersDbContextDesignTimeFactory() : ShopDesignTimeDbContextFactory<OrdersDbContext>(ShopResources.OrdersDb);
