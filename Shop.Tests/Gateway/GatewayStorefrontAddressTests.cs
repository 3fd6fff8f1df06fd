using Shop.AppHost.Hosting;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Http;
using Shop.Tests.Infrastructure;
using Shop.Tests.Users;
using StackExchange.Redis;

namespace Shop.Tests.Gateway;

/// <summary>
/// The anonymous rate-limit partition is the client address. The gateway takes X-Forwarded-For as that address only
/// from the storefront, which proves itself with the generated secret (X-Storefront-Secret = the AppHost's
/// ShopParameters.StorefrontSecret); anyone else's X-Forwarded-For changes nothing, so a client cannot get a fresh bucket per
/// request by inventing addresses. Read from the RateLimit-Remaining answers and the buckets in Redis.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class GatewayStorefrontAddressTests(ShopAppFixture fixture)
{
    private const string AnonymousDefaultRoute = "/api/basket";

    [Fact]
    public async Task Without_the_secret_two_invented_addresses_share_the_caller_s_own_bucket()
    {
        using var gateway = fixture.CreateHttpClient(ShopResources.Gateway);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync(ShopResources.Redis));
        // TEST-NET-3 addresses (RFC 5737), each used by one test only, so a bucket of theirs can only be this test's.
        var (first, second) = ("203.0.113.1", "203.0.113.2");

        var afterFirst = await RemainingAsync(gateway, forwardedFor: first, secret: null);
        var afterSecond = await RemainingAsync(gateway, forwardedFor: second, secret: null);
        var wrongSecret = await RemainingAsync(gateway, forwardedFor: second, secret: "not-the-storefront-s-secret-0123456789");

        // One bucket, spent by one request each time (the test collection runs one test at a time).
        Assert.Equal(afterFirst - 1, afterSecond);
        Assert.Equal(afterSecond - 1, wrongSecret);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(BucketKey(first)));
        Assert.False(await redis.GetDatabase().KeyExistsAsync(BucketKey(second)));
    }

    [Fact]
    public async Task With_the_storefront_s_secret_each_forwarded_address_is_a_bucket_of_its_own()
    {
        using var gateway = fixture.CreateHttpClient(ShopResources.Gateway);
        using var users = new UsersApiClient(fixture);
        var secret = await users.GetParameterAsync(ShopParameters.StorefrontSecret);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync(ShopResources.Redis));
        var (first, second) = ("203.0.113.11", "203.0.113.12");

        var firstOnce = await RemainingAsync(gateway, forwardedFor: first, secret);
        var firstTwice = await RemainingAsync(gateway, forwardedFor: first, secret);
        var secondOnce = await RemainingAsync(gateway, forwardedFor: second, secret);

        Assert.Equal(firstOnce - 1, firstTwice);
        Assert.Equal(firstOnce, secondOnce); // a fresh, full bucket: not the first address's, not the caller's
        Assert.True(await redis.GetDatabase().KeyExistsAsync(BucketKey(first)));
        Assert.True(await redis.GetDatabase().KeyExistsAsync(BucketKey(second)));
    }

    private static string BucketKey(string address) => $"shop:ratelimit:default:ip:{address}";

    private static async Task<long> RemainingAsync(HttpClient gateway, string forwardedFor, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AnonymousDefaultRoute);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (secret is not null) request.Headers.Add(ShopHeaders.StorefrontSecret, secret);
        using var response = await gateway.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("RateLimit-Remaining").Single());
    }
}
