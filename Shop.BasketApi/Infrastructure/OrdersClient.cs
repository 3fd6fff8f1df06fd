using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Shop.BasketApi.Model;
using Shop.ServiceDefaults.Http;

namespace Shop.BasketApi.Infrastructure;

/// <summary>
/// order-api's create order (POST /api/orders), called as the shopper: their bearer token is relayed, so order-api
/// checks the account and owns the order as for any other client. Safe to retry: every call carries an Idempotency-Key.
/// </summary>
public sealed class OrdersClient(HttpClient http)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private sealed record OrderLineBody(Guid ProductId, int Quantity);

    private sealed record CreateOrderBody(IReadOnlyList<OrderLineBody> Items, ShippingAddress? ShippingAddress, CardPayment? Payment,
        decimal? ExpectedTotal, string? ExpectedCurrency);

    private sealed record OrderLineReply(Guid ProductId, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

    private sealed record OrderReply(Guid Id, string Status, decimal Total, string Currency, List<OrderLineReply> Items, DateTimeOffset CreatedAt);

    /// <param name="payment">Pays the order in the same request; null leaves it pending, to be paid with order-api's /pay.</param>
    /// <param name="expectedTotal">The total the shopper was shown: order-api refuses another total at the reservation's
    /// prices (409 "Prices Changed" with <c>total</c> and <c>currency</c>); null accepts the prices as reserved.</param>
    /// <param name="expectedCurrency">The currency the shopper was shown (ISO 4217): another one is refused the same way.</param>
    /// <exception cref="Shop.ServiceDefaults.Refusals.UnavailableRefusal">order-api did not answer.</exception>
    /// <exception cref="Shop.ServiceDefaults.Refusals.PaymentDeclinedRefusal">The card was declined; the order was
    /// stored and stays pending: its id is the refusal's <c>orderId</c> fact.</exception>
    /// <exception cref="Shop.ServiceDefaults.Refusals.ShopRefusal">order-api refused: the refusal its ProblemDetails
    /// stands for (<see cref="ProblemRefusals"/>), with its title, detail, facts, field errors and Retry-After.</exception>
    public async Task<PlacedCheckout> CreateOrderAsync(string bearerToken, string idempotencyKey, IReadOnlyList<StoredLine> lines,
        ShippingAddress? address, CardPayment? payment, decimal? expectedTotal, string? expectedCurrency, CancellationToken cancellationToken)
    {
        // Lines in a fixed order: a double submit must send the same body (order-api compares it under the same key;
        // the payment and the expected total and currency are not part of that comparison).
        var body = new CreateOrderBody([.. lines.OrderBy(l => l.ProductId).Select(l => new OrderLineBody(l.ProductId, l.Quantity))],
            address, payment, expectedTotal, expectedCurrency);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        request.Headers.Add(ShopHeaders.IdempotencyKey, idempotencyKey);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       or Polly.CircuitBreaker.BrokenCircuitException
                                   || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw BasketRefusals.Unavailable("order service", RetryAfter, ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var order = (await response.Content.ReadFromJsonAsync<OrderReply>(JsonSerializerOptions.Web, cancellationToken))!;
                var replayed = response.Headers.TryGetValues(ShopHeaders.IdempotentReplayed, out var values) && values.Contains("true");
                return new PlacedCheckout(new PlacedOrder(order.Id, order.Status, order.Total, order.Currency,
                    [.. order.Items.Select(i => new PlacedOrderLine(i.ProductId, i.Name, i.UnitPrice, i.Quantity, i.LineTotal))], order.CreatedAt), replayed);
            }
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? await response.Content.ReadFromJsonAsync<ProblemDetails>(JsonSerializerOptions.Web, cancellationToken)
                : null;
            throw ProblemRefusals.ToRefusal((int)response.StatusCode, problem, response.Headers.RetryAfter?.Delta, "order service");
        }
    }
}
