using Grpc.Core;
using Grpc.Net.Client;
using Shop.BasketApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Basket;

[Collection(ShopCollection.Name)]
public sealed class BasketGrpcTests(ShopAppFixture fixture) : IDisposable
{
    private readonly BasketTestClient _client = new(fixture);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint(ShopResources.BasketApi, "grpc"));

    [Fact]
    public async Task A_service_caller_sets_reads_and_clears_a_shoppers_cart_seen_by_the_http_api()
    {
        var product = await _client.CreateProductAsync(stock: 3, price: 2.50m);
        var token = await _client.CustomerTokenAsync();
        var userId = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ReadJwtToken(token).Subject;
        var basket = new Shop.BasketApi.Grpc.V1.Basket.BasketClient(_channel);
        var cart = new CartRef { UserId = userId };

        var set = await basket.SetLineAsync(new SetLineRequest { Cart = cart, ProductId = product.Id.ToString(), Quantity = 4 });
        var viaHttp = await _client.GetAsync(token: token);
        await basket.ClearAsync(new ClearRequest { Cart = cart });
        var cleared = await basket.GetBasketAsync(new GetBasketRequest { Cart = cart });

        var line = Assert.Single(set.Lines);
        Assert.Equal(("2.50", "EUR", "EUR", 4, 3, true), (line.UnitPrice, line.Currency, line.CurrencyWhenAdded, line.Quantity, line.Available, line.OutOfStock));
        Assert.Equal(("10.00", "EUR"), (set.Subtotal, set.Currency));
        Assert.Equal(set.Version, viaHttp.Version);
        Assert.Equal(4, Assert.Single(viaHttp.Lines).Quantity);
        Assert.Empty(cleared.Lines);
    }

    [Fact]
    public async Task The_same_rules_answer_as_grpc_statuses()
    {
        var product = await _client.CreateProductAsync();
        var basket = new Shop.BasketApi.Grpc.V1.Basket.BasketClient(_channel);
        var cart = new CartRef { UserId = Guid.NewGuid().ToString() };

        var quantity = await Assert.ThrowsAsync<RpcException>(() =>
            basket.SetLineAsync(new SetLineRequest { Cart = cart, ProductId = product.Id.ToString(), Quantity = 101 }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            basket.SetLineAsync(new SetLineRequest { Cart = cart, ProductId = Guid.NewGuid().ToString(), Quantity = 1 }).ResponseAsync);
        var badCart = await Assert.ThrowsAsync<RpcException>(() =>
            basket.GetBasketAsync(new GetBasketRequest { Cart = new CartRef { CartId = "nope" } }).ResponseAsync);
        var noCart = await Assert.ThrowsAsync<RpcException>(() => basket.GetBasketAsync(new GetBasketRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, quantity.StatusCode);
        Assert.Equal("quantity", quantity.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations.Single().Field);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badCart.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noCart.StatusCode);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _client.Dispose();
    }
}
