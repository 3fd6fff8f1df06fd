using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Products.ProductApiTestContext;

namespace Shop.Tests.Products;

[Collection(ShopCollection.Name)]
public sealed class ProductCatalogTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task The_seeded_catalog_pages_filters_and_sorts()
    {
        using var client = fixture.CreateHttpClient(ShopResources.ProductApi);

        var all = await client.GetFromJsonAsync<PageDto<ProductDto>>("/api/products?pageSize=100");
        Assert.True(all!.TotalCount >= 1000, $"seed gives at least 1,000 products, found {all.TotalCount}");
        Assert.Equal(100, all.Items.Count);
        Assert.Equal(all.Items.Select(p => p.Name).Order(StringComparer.Ordinal), all.Items.Select(p => p.Name), StringComparer.Ordinal);

        var page1 = await client.GetFromJsonAsync<PageDto<ProductDto>>("/api/products?category=electronics&sort=price_asc&pageSize=25&page=1");
        var page2 = await client.GetFromJsonAsync<PageDto<ProductDto>>("/api/products?category=electronics&sort=price_asc&pageSize=25&page=2");
        Assert.All(page1!.Items.Concat(page2!.Items), p => Assert.Equal("electronics", p.Category));
        var prices = page1.Items.Concat(page2.Items).Select(p => p.Price).ToList();
        Assert.Equal(prices.Order(), prices);
        Assert.Empty(page1.Items.Select(p => p.Id).Intersect(page2.Items.Select(p => p.Id)));
        Assert.Equal(page1.TotalCount, page2.TotalCount);
        Assert.InRange(page1.TotalCount, 100, all.TotalCount - 100);

        var expensive = await client.GetFromJsonAsync<PageDto<ProductDto>>("/api/products?sort=price_desc&minPrice=100&maxPrice=600&brand=sony&pageSize=100");
        Assert.NotEmpty(expensive!.Items);
        Assert.All(expensive.Items, p => { Assert.Equal("Sony", p.Brand); Assert.InRange(p.Price, 100m, 600m); });
        Assert.Equal(expensive.Items.Select(p => p.Price).OrderDescending(), expensive.Items.Select(p => p.Price));

        var newest = await client.GetFromJsonAsync<PageDto<ProductDto>>("/api/products?sort=newest&pageSize=50");
        Assert.Equal(newest!.Items.Select(p => p.CreatedAt).OrderDescending(), newest.Items.Select(p => p.CreatedAt));
    }

    [Fact]
    public async Task Categories_list_the_seeded_ones_with_counts()
    {
        using var client = fixture.CreateHttpClient(ShopResources.ProductApi);
        using var body = JsonDocument.Parse(await client.GetStringAsync("/api/categories"));
        var categories = body.RootElement.EnumerateArray().ToList();

        Assert.True(categories.Count >= 10);
        Assert.Contains(categories, c => c.GetProperty("slug").GetString() == "books" && c.GetProperty("productCount").GetInt32() >= 100);
    }

    [Fact]
    public async Task Search_ranks_prefix_matches_tolerates_typos_and_treats_sql_as_text()
    {
        using var admin = await AdminClientAsync(fixture);
        var word = "Quorvex" + Random.Shared.Next(1000, 9999);
        var named = await CreateProductAsync(admin, name: $"{word} Espresso Grinder", category: "home-kitchen");
        var described = await CreateProductAsync(admin, name: "Plain Grinder", category: "home-kitchen");
        using (var update = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{described.Id}")
        {
            Content = JsonContent.Create(new { described.Sku, described.Name, description = $"Works like the {word}.", described.Category, described.Brand, described.Price, described.Currency }),
        })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(update)).StatusCode);
        }

        using var client = fixture.CreateHttpClient(ShopResources.ProductApi);
        var prefix = await client.GetFromJsonAsync<SearchDto>($"/api/products/search?q={word[..9].ToLowerInvariant()}");
        Assert.False(prefix!.Fuzzy);
        Assert.Equal([named.Id, described.Id], prefix.Items.Select(p => p.Id));

        var typo = await client.GetFromJsonAsync<SearchDto>($"/api/products/search?q={Uri.EscapeDataString(word[..7] + "x espreso")}");
        Assert.True(typo!.Fuzzy);
        Assert.Contains(named.Id, typo.Items.Select(p => p.Id));

        var injection = await client.GetAsync($"/api/products/search?q={Uri.EscapeDataString("'; DROP TABLE products; -- & | ! :* (")}");
        Assert.Equal(HttpStatusCode.OK, injection.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/products/{named.Id}")).StatusCode);
    }

    [Fact]
    public async Task Get_by_id_returns_an_etag_and_304_when_it_matches()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin);
        using var client = fixture.CreateHttpClient(ShopResources.ProductApi);

        using var first = await client.GetAsync($"/api/products/{product.Id}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{product.Id}") { Headers = { IfNoneMatch = { etag } } };
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{product.Id}") { Headers = { IfNoneMatch = { new EntityTagHeaderValue("\"1\"") } } };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
        AssertProblem(await client.GetAsync($"/api/products/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Writes_are_admin_only()
    {
        var body = new { sku = "NOPE-1", name = "Nope", category = "books", brand = "B", price = 1m, currency = "EUR" };
        using var anonymous = fixture.CreateHttpClient(ShopResources.ProductApi);
        AssertProblem(await anonymous.PostAsJsonAsync("/api/products", body), HttpStatusCode.Unauthorized);

        using var customer = fixture.CreateHttpClient(ShopResources.ProductApi).WithBearer(await TestTokens.CustomerAsync(fixture.App));
        AssertProblem(await customer.PostAsJsonAsync("/api/products", body), HttpStatusCode.Forbidden);

        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin);
        AssertProblem(await customer.PutAsJsonAsync($"/api/products/{product.Id}/stock", new { stock = 1 }), HttpStatusCode.Forbidden);
        AssertProblem(await customer.DeleteAsync($"/api/products/{product.Id}"), HttpStatusCode.Forbidden);
        AssertProblem(await anonymous.DeleteAsync($"/api/products/{product.Id}"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/products/{product.Id}")).StatusCode);
    }

    [Fact]
    public async Task Update_with_a_stale_if_match_is_412_and_delete_removes()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin);
        using var read = await admin.GetAsync($"/api/products/{product.Id}");
        var etag = read.Headers.ETag!.Tag;
        object Update(string name) => new { product.Sku, name, product.Description, product.Category, product.Brand, price = 25.5m, product.Currency };

        using var fresh = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/products/{product.Id}") { Content = JsonContent.Create(Update("Renamed")) }.WithIfMatch(etag));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag!.Tag);

        using var stale = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/products/{product.Id}") { Content = JsonContent.Create(Update("Lost update")) }.WithIfMatch(etag));
        AssertProblem(stale, HttpStatusCode.PreconditionFailed);
        var current = await admin.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}");
        Assert.Equal("Renamed", current!.Name);
        Assert.Equal(25.5m, current.Price);

        using var duplicate = await admin.PostAsJsonAsync("/api/products", new { product.Sku, name = "Dup", category = "books", brand = "B", price = 1m, currency = "EUR" });
        AssertProblem(duplicate, HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/products/{product.Id}")).StatusCode);
        AssertProblem(await admin.GetAsync($"/api/products/{product.Id}"), HttpStatusCode.NotFound);
    }

    public static TheoryData<string> BadQueries => new()
    {
        "/api/products?pageSize=0",
        "/api/products?pageSize=10000",
        "/api/products?page=0",
        "/api/products?sort=popularity",
        "/api/products?minPrice=-1",
        "/api/products?pageSize=abc",
        "/api/products/search?q=" + new string('a', 201),
        "/api/products/search?q=",
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_queries_are_400_problem_details(string url)
    {
        using var client = fixture.CreateHttpClient(ShopResources.ProductApi);
        AssertProblem(await client.GetAsync(url), HttpStatusCode.BadRequest);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "POST", """{"sku":"BAD-1","name":"x","category":"books","brand":"b","price":-1,"currency":"EUR"}""" },
        { "POST", """{"sku":"BAD-2","name":"x","category":"books","brand":"b","price":1,"currency":"EUR","stock":-5}""" },
        { "POST", """{"sku":"BAD-3","name":"x","category":"books","brand":"b","price":1,"currency":"euro"}""" },
        { "POST", """{"sku":"BAD-4","name":"x","category":"no-such-category","brand":"b","price":1,"currency":"EUR"}""" },
        { "POST", """{"sku":"BAD-5","name":"x", "price": 1,""" },
        { "POST", """{"sku":"BAD-6","name":"x","category":"books","brand":"b","price":"cheap","currency":"EUR"}""" },
        { "STOCK", """{"stock":-1}""" },
        { "STOCK", """{"stock":"many"}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_400_problem_details(string target, string json)
    {
        using var admin = await AdminClientAsync(fixture);
        var url = target == "STOCK" ? $"/api/products/{(await CreateProductAsync(admin)).Id}/stock" : "/api/products";
        var method = target == "STOCK" ? HttpMethod.Put : HttpMethod.Post;

        using var response = await admin.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Set_stock_changes_stock_and_the_openapi_document_is_served()
    {
        using var admin = await AdminClientAsync(fixture);
        var product = await CreateProductAsync(admin, stock: 3);
        using var set = await admin.PutAsJsonAsync($"/api/products/{product.Id}/stock", new { stock = 42 });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(42, await GetStockFromDatabaseAsync(fixture, product.Id));
        Assert.Equal(42, (await admin.GetFromJsonAsync<ProductDto>($"/api/products/{product.Id}"))!.Stock);

        using var openApi = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/products/search", out _));
    }
}
