using System.Text;
using Polly;
using Shop.ServiceDefaults.Http;
using Shop.WebApp.Extensions;
using Shop.WebApp.Services;

namespace Shop.Tests.Storefront;

public sealed class HttpRequestCopyTests
{
    [Fact]
    public async Task The_copy_has_the_method_uri_headers_options_and_buffered_body_of_the_original()
    {
        using var original = new HttpRequestMessage(HttpMethod.Put, "http://gateway/api/basket/items/42")
        {
            Version = HttpVersion.Version20,
            Content = new StringContent("""{"quantity":3}""", Encoding.UTF8, "application/json"),
        };
        original.Headers.Add(ShopHeaders.CartId, "abc");
        original.Headers.Add(ShopHeaders.IdempotencyKey, "k-1");
        original.Options.Set(new HttpRequestOptionsKey<string>("shop.test"), "kept");
        await original.Content.LoadIntoBufferAsync();
        Assert.Equal("""{"quantity":3}""", await original.Content.ReadAsStringAsync()); // the first send read it

        using var copy = await HttpRequestCopy.CloneAsync(original, CancellationToken.None);

        Assert.NotSame(original, copy);
        Assert.Equal(HttpMethod.Put, copy.Method);
        Assert.Equal(original.RequestUri, copy.RequestUri);
        Assert.Equal(HttpVersion.Version20, copy.Version);
        Assert.Equal("abc", copy.Headers.GetValues(ShopHeaders.CartId).Single());
        Assert.Equal("k-1", copy.Headers.GetValues(ShopHeaders.IdempotencyKey).Single());
        Assert.True(copy.Options.TryGetValue(new HttpRequestOptionsKey<string>("shop.test"), out var option));
        Assert.Equal("kept", option);
        Assert.Equal("""{"quantity":3}""", await copy.Content!.ReadAsStringAsync());
        Assert.Equal("application/json", copy.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", copy.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task A_request_without_a_body_is_copied_without_one()
    {
        using var original = new HttpRequestMessage(HttpMethod.Get, "http://gateway/api/orders?page=2");
        using var copy = await HttpRequestCopy.CloneAsync(original, CancellationToken.None);
        Assert.Null(copy.Content);
        Assert.Equal("http://gateway/api/orders?page=2", copy.RequestUri!.ToString());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void The_gateway_s_429_is_shown_to_the_shopper_not_retried_nor_counted_by_the_breaker(HttpStatusCode status, bool transient)
    {
        using var response = new HttpResponseMessage(status);
        Assert.Equal(transient, WebAppExtensions.IsTransientFailure(Outcome.FromResult(response)));
    }
}
