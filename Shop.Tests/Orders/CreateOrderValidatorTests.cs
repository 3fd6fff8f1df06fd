using Shop.OrderApi.Apis;
using Shop.OrderApi.Model;

namespace Shop.Tests.Orders;

public sealed class CreateOrderValidatorTests
{
    private static readonly ShippingAddressRequest Address = new("Ann", "1 Main St", null, "Springfield", "12345", "US");

    private static OrderLineRequest L(string id, int quantity, decimal? price = null) => new(id, quantity, price);

    private static CreateOrderRequest Request(params OrderLineRequest[] items) => new([.. items], Address);

    [Fact]
    public void A_good_request_passes_and_yields_its_lines()
    {
        var id = Guid.NewGuid();
        var errors = CreateOrderValidator.Validate(Request(L(id.ToString(), 2, 0.01m)), "key-1", out var lines);

        Assert.Empty(errors);
        Assert.Equal([new RequestedLine(id, 2)], lines);
    }

    public static TheoryData<string, CreateOrderRequest, string?> BadRequests()
    {
        var id = Guid.NewGuid().ToString();
        return new()
        {
            { "items", new CreateOrderRequest([], Address), "k" },
            { "items", new CreateOrderRequest(null, Address), "k" },
            { "items[0].quantity", Request(L(id, 0)), "k" },
            { "items[0].quantity", Request(L(id, -1)), "k" },
            { "items[0].quantity", Request(L(id, 101)), "k" },
            { "items[1].productId", Request(L(id, 1), L(id, 2)), "k" },
            { "items[0].productId", Request(L("not-a-uuid", 1)), "k" },
            { "items", new CreateOrderRequest([.. Enumerable.Range(0, 51).Select(_ => new OrderLineRequest(Guid.NewGuid().ToString(), 1))], Address), "k" },
            { "shippingAddress", new CreateOrderRequest([new(id, 1)], null), "k" },
            { "shippingAddress.city", new CreateOrderRequest([new(id, 1)], Address with { City = " " }), "k" },
            { "shippingAddress.country", new CreateOrderRequest([new(id, 1)], Address with { Country = "USA" }), "k" },
            { "Idempotency-Key", Request(L(id, 1)), null },
            { "Idempotency-Key", Request(L(id, 1)), new string('k', 101) },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_requests_name_the_failing_field(string field, CreateOrderRequest request, string? key)
    {
        var errors = CreateOrderValidator.Validate(request, key, out _);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void The_request_hash_tells_bodies_apart()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal(RequestHash.Compute(Request(L(id, 1))), RequestHash.Compute(Request(L(id, 1))));
        Assert.NotEqual(RequestHash.Compute(Request(L(id, 1))), RequestHash.Compute(Request(L(id, 2))));
    }
}
