using Shop.OrderApi.Apis;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Http;

namespace Shop.Tests.Orders;

public sealed class OrderValidationTests
{
    private static readonly ShippingAddressRequest Address = new("Ann", "1 Main St", null, "Springfield", "12345", "US");

    private static OrderLineRequest L(string id, int quantity, decimal? price = null) => new(id, quantity, price);

    private static CreateOrderRequest Request(params OrderLineRequest[] items) => new([.. items], Address);

    [Fact]
    public void A_good_request_passes_and_yields_its_lines()
    {
        var id = Guid.NewGuid();
        var errors = OrderValidation.ValidateCreate(Request(L(id.ToString(), 2, 0.01m)), "key-1", out var lines);

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
            { ShopHeaders.IdempotencyKey, Request(L(id, 1)), null },
            { ShopHeaders.IdempotencyKey, Request(L(id, 1)), new string('k', 101) },
            { "payment.method", Request(L(id, 1)) with { Payment = new PayOrderRequest("cash", "4111111111111111") }, "k" },
            { "payment.cardNumber", Request(L(id, 1)) with { Payment = new PayOrderRequest("card", "4111 1111") }, "k" },
        };
    }

    [Fact]
    public void A_good_payment_sent_with_the_order_passes()
    {
        var request = Request(L(Guid.NewGuid().ToString(), 1)) with { Payment = new PayOrderRequest("card", "4242424242424242") };
        Assert.Empty(OrderValidation.ValidateCreate(request, "key-1", out _));
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_requests_name_the_failing_field(string field, CreateOrderRequest request, string? key)
    {
        var errors = OrderValidation.ValidateCreate(request, key, out _);
        Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("card", "4111111111111111", null)]
    [InlineData("CARD", "411111111111", null)]
    [InlineData("cash", "4111111111111111", "method")]
    [InlineData(null, "4111111111111111", "method")]
    [InlineData("card", "41111111111", "cardNumber")]
    [InlineData("card", "4111 1111 1111 1111", "cardNumber")]
    [InlineData("card", null, "cardNumber")]
    public void A_payment_is_by_card_with_12_to_19_digits(string? method, string? cardNumber, string? failingField)
    {
        string[] expected = failingField is null ? [] : [failingField];
        Assert.Equal(expected, OrderValidation.ValidatePayment(method, cardNumber).Keys);
    }

    [Theory]
    [InlineData("shipped", OrderStatus.Shipped)]
    [InlineData("Delivered", OrderStatus.Delivered)]
    public void An_admin_may_set_shipped_or_delivered(string status, OrderStatus expected)
    {
        Assert.Empty(OrderValidation.ValidateStatusChange(status, out var target));
        Assert.Equal(expected, target);
    }

    [Theory]
    [InlineData("paid")]
    [InlineData("cancelled")]
    [InlineData("2")]
    [InlineData(null)]
    public void Other_status_changes_are_refused(string? status)
    {
        var errors = OrderValidation.ValidateStatusChange(status, out _);
        Assert.Equal(["Use 'shipped' or 'delivered'."], errors["status"]);
    }

    [Fact]
    public void The_list_takes_a_known_status_and_a_page()
    {
        Assert.Empty(OrderValidation.ValidateList("PAID", 2, 10, out var filter, out var paging));
        Assert.Equal(OrderStatus.Paid, filter);
        Assert.Equal(10, paging!.Offset);

        var errors = OrderValidation.ValidateList("lost", 0, 20, out filter, out paging);
        Assert.Equal(new[] { "page", "status" }, errors.Keys.Order());
        Assert.Null(filter);
        Assert.Null(paging);
    }

    [Fact]
    public void The_fingerprint_tells_orders_apart_and_leaves_the_card_out()
    {
        var id = Guid.NewGuid().ToString();
        Assert.Equal(Request(L(id, 1)).Fingerprint(), Request(L(id, 1)).Fingerprint());
        Assert.NotEqual(Request(L(id, 1)).Fingerprint(), Request(L(id, 2)).Fingerprint());
        Assert.NotEqual(Request(L(id, 1)).Fingerprint(), (Request(L(id, 1)) with { ShippingAddress = Address with { City = "Shelbyville" } }).Fingerprint());
        var paid = Request(L(id, 1)) with { Payment = new PayOrderRequest("card", "4242424242424242") };
        Assert.Equal(Request(L(id, 1)).Fingerprint(), paid.Fingerprint());
        Assert.Equal(paid.Fingerprint(), (paid with { Payment = new PayOrderRequest("card", "4000000000000002") }).Fingerprint());
    }
}
