using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Net.Client;
using Npgsql;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Products;

/// <summary>One product-api replica, reached directly (not through the proxy that balances the two).</summary>
public sealed record ProductReplica(string Id, Uri Http, Uri Grpc)
{
    public HttpClient CreateHttpClient() => new() { BaseAddress = Http };

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Grpc);
}

public sealed record ProductDto(Guid Id, string Sku, string Name, string Description, string Category, string Brand, decimal Price,
    string Currency, int Stock, string? ImageUrl, DateTimeOffset CreatedAt);

public sealed record PageDto<T>(List<T> Items, int Page, int PageSize, int TotalCount);

public sealed record SearchDto(List<ProductDto> Items, int Page, int PageSize, int TotalCount, bool Fuzzy);

public sealed record CacheStatisticsDto(long Hits, long Misses, long Bypassed, long DatabaseLoads);

/// <summary>What the product tests share: admin/customer clients, replica addresses, test products and the real stock in PostgreSQL.</summary>
public static class ProductApiTestContext
{
    public static async Task<HttpClient> AdminClientAsync(ShopAppFixture fixture, HttpClient? client = null) =>
        (client ?? fixture.CreateHttpClient(ShopResources.ProductApi)).WithBearer(await TestTokens.AdminAsync(fixture.App));

    /// <summary>The product-api replicas (two in the tests), each with its own http and gRPC addresses, ordered by instance name.</summary>
    public static async Task<IReadOnlyList<ProductReplica>> GetReplicasAsync(ShopAppFixture fixture)
    {
        var grpc = (await ResourceInstances.UrlsAsync(fixture.App, ShopResources.ProductApi, "grpc")).ToDictionary();
        var replicas = (await ResourceInstances.UrlsAsync(fixture.App, ShopResources.ProductApi))
            .Select(http => new ProductReplica(http.Instance, http.Url, grpc[http.Instance]))
            .ToList();
        Assert.Equal(2, replicas.Count);
        return replicas;
    }

    public static async Task<ProductDto> CreateProductAsync(HttpClient admin, int stock = 10, string? name = null, string category = "electronics",
        decimal price = 19.99m, string brand = "Testbrand")
    {
        var sku = $"T-{Guid.NewGuid():N}"[..30];
        using var response = await admin.PostAsJsonAsync("/api/products", new
        {
            sku,
            name = name ?? $"Test product {sku}",
            description = "Created by an integration test.",
            category,
            brand,
            price,
            currency = "EUR",
            stock,
            imageUrl = "https://images.shop.local/products/test.jpg",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating a product answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ProductDto>())!;
    }

    /// <summary>Changes a product's price (and its currency, when given) as an admin, every other field as it was created.</summary>
    public static async Task SetPriceAsync(HttpClient admin, ProductDto product, decimal price, string? currency = null)
    {
        using var response = await admin.PutAsJsonAsync($"/api/products/{product.Id}",
            new { product.Sku, product.Name, product.Description, product.Category, product.Brand, price, currency = currency ?? product.Currency });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Inserts a copy of a product (new id and SKU) straight into productsdb; returns the copy's id.</summary>
    public static async Task<Guid> CopyProductInDatabaseAsync(ShopAppFixture fixture, Guid templateId)
    {
        var id = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(ShopResources.ProductsDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO products (id, sku, name, description, brand, category_id, price, currency, stock, image_url, created_at, updated_at)
            SELECT @id, @sku, @name, description, brand, category_id, price, currency, stock, image_url, created_at, updated_at
              FROM products WHERE id = @template
            """, connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("sku", $"C-{id:N}"[..30]);
        command.Parameters.AddWithValue("name", $"Copy {id:N}");
        command.Parameters.AddWithValue("template", templateId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        return id;
    }

    public static async Task<int> GetStockFromDatabaseAsync(ShopAppFixture fixture, Guid productId)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(ShopResources.ProductsDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT stock FROM products WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", productId);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<CacheStatisticsDto> GetCacheStatisticsAsync(ShopAppFixture fixture, ProductReplica replica)
    {
        using var client = replica.CreateHttpClient().WithBearer(await TestTokens.AdminAsync(fixture.App));
        using var body = JsonDocument.Parse(await client.GetStringAsync("/api/products/cache-statistics"));
        return body.RootElement.GetProperty("statistics").Deserialize<CacheStatisticsDto>(JsonSerializerOptions.Web)!;
    }

    /// <summary>A channel to product-api's gRPC endpoint (both replicas behind it).</summary>
    public static GrpcChannel GrpcChannelFor(ShopAppFixture fixture) => GrpcChannel.ForAddress(fixture.App.GetEndpoint(ShopResources.ProductApi, "grpc"));

    public static StockItem Item(Guid productId, int quantity) => new() { ProductId = productId.ToString(), Quantity = quantity };

    public static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, string etag)
    {
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return request;
    }
}
