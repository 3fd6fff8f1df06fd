using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Data;

namespace Shop.ProductApi.Infrastructure;

/// <summary>For <c>dotnet ef</c>: <see cref="ProductsDbContext"/> on productsdb (see <see cref="ShopDesignTimeDbContextFactory{TContext}"/>).</summary>
public sealed class ProductsDbContextDesignTimeFactory() : ShopDesignTimeDbContextFactory<ProductsDbContext>(ShopResources.ProductsDb);
