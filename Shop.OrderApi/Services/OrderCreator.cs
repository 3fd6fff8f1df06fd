using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Grpc;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Grpc;
using Shop.ServiceDefaults.Refusals;

namespace Shop.OrderApi.Services;

/// <param name="HeldBy">The Pending attempt the order was placed with (<see cref="NewOrder.PayAtPlacement"/>), tracked and
/// ready to charge; null for a replay or an order placed without one.</param>
public sealed record CreatedOrder(Order Order, bool Replayed, Payment? HeldBy = null);

/// <summary>A customer's order as the API understood it: checked lines and address, and the fingerprint of the request.</summary>
/// <param name="UserId">The caller; the shared token check has already established that the account is active.</param>
/// <param name="Email">The caller's email, from the token (an account's email never changes).</param>
/// <param name="RequestHash">Fingerprint of the request body: the same key with another body is refused.</param>
/// <param name="PayAtPlacement">Store the order held for a new Pending payment attempt, in the placement's own statement:
/// the caller charges it next (checkout in one request), without a second write to hold it.</param>
/// <param name="ExpectedTotal">The total the customer was shown: another total at the reservation's prices refuses the
/// order (<see cref="OrderRefusals.PricesChanged"/>); null accepts the prices as reserved.</param>
/// <param name="ExpectedCurrency">The currency the customer was shown (ISO 4217): another one at the reservation's prices
/// refuses the order the same way; null accepts the catalog's.</param>
public sealed record NewOrder(Guid UserId, string Email, string IdempotencyKey, string RequestHash,
    IReadOnlyList<RequestedLine> Lines, ShippingAddress ShippingAddress, bool PayAtPlacement = false, decimal? ExpectedTotal = null,
    string? ExpectedCurrency = null);

/// <summary>
/// The central flow: claim the idempotency key, reserve stock under the order id and price the lines from the same
/// answer (refusing a total other than the one the customer expects), then store order + items + outbox event + the
/// claim's completion in one statement.
/// Anything failing after the reservation gives the stock back here; if this process dies first, the claim's lease
/// runs out and the <see cref="AbandonedClaimSweeper"/> does it (the claim records the order id).
/// </summary>
public sealed class OrderCreator(
    OrdersDbContext db,
    IdempotencyStore idempotency,
    ProductService.ProductServiceClient products,
    Microsoft.Extensions.Options.IOptionsMonitor<GrpcResilienceOptions> resilience,
    StockReleaser stockReleaser,
    OutboxSignal outboxSignal,
    TimeProvider time)
{
    public async Task<CreatedOrder> CreateAsync(NewOrder request, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("CreateOrder");
        activity?.SetTag("shop.user.id", request.UserId);

        var claim = await idempotency.ClaimAsync(request.UserId, request.IdempotencyKey, request.RequestHash, cancellationToken);
        if (claim is ClaimOutcome.Completed completed)
        {
            activity?.SetTag("shop.idempotent.replay", true);
            return new CreatedOrder(completed.Order, Replayed: true);
        }

        var orderId = ((ClaimOutcome.Claimed)claim).OrderId;
        activity?.SetTag("shop.order.id", orderId);
        // From here on a reservation may exist, even when the call's answer is lost.
        var saving = false;
        try
        {
            var priced = await ReserveAndPriceAsync(orderId, request.Lines, cancellationToken);
            // Priced under the reservation's row locks: the total charged is the one compared here, with no window between.
            if (request.ExpectedTotal is { } expected && expected != priced.Total
                || request.ExpectedCurrency is { } currency && currency != priced.Currency)
            {
                throw OrderRefusals.PricesChanged(request.ExpectedTotal, request.ExpectedCurrency, priced.Total, priced.Currency);
            }
            saving = true;
            return await SaveAsync(orderId, request, priced, cancellationToken);
        }
        catch (OutOfStockRefusal shortfall)
        {
            // product-api refused the reservation as a whole: it holds no stock, so there is nothing to give back.
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, shortfall.Title);
            await idempotency.ReleaseAsync(request.UserId, request.IdempotencyKey, orderId);
            throw ForCustomer(shortfall, request.Lines);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            // A save that failed without a verdict (connection lost around the commit) may have stored the order: then
            // the claim is completed with it, else the sweeper revokes it and releases the stock. Never guess here.
            var mayHaveStored = saving && ex is not ShopRefusal;
            var compensated = !mayHaveStored && await stockReleaser.ReleaseOrQueueAsync(orderId);
            // A claim whose stock is neither released nor queued stays: it owns the reservation until the sweeper has released it.
            if (compensated)
            {
                await idempotency.ReleaseAsync(request.UserId, request.IdempotencyKey, orderId);
            }
            throw;
        }
    }

    /// <summary>
    /// Reserves the lines under the order id and prices them from the same answer: ReserveStock reads the products'
    /// prices under its row locks, so one call both reserves and prices.
    /// </summary>
    private async Task<PricedOrder> ReserveAndPriceAsync(Guid orderId, IReadOnlyList<RequestedLine> lines, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("ReserveStock");
        activity?.SetTag("shop.products.count", lines.Count);
        var request = new ReserveStockRequest { OrderId = orderId.ToString() };
        request.Items.AddRange(lines.Select(l => new StockItem { ProductId = l.ProductId.ToString(), Quantity = l.Quantity }));
        ReserveStockReply reply;
        try
        {
            reply = await products.ReserveStockAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (GrpcRefusals.ToRefusal(ex, "product", resilience.CurrentValue.BreakerBreakDuration) is { } refusal)
        {
            // ABORTED: ProductApi already released this order id (the sweeper revoked this request's claim): never reserve again.
            throw refusal is ConflictRefusal ? OrderRefusals.ClaimLapsed() : refusal;
        }

        var current = reply.Products
            .Select(p => new CurrentProduct(Guid.Parse(p.ProductId), p.Sku, p.Name, p.Price, p.Currency))
            .ToDictionary(p => p.Id);
        try
        {
            return OrderPricing.Price(lines, current);
        }
        catch (PricingException ex)
        {
            throw new UnprocessableRefusal("Cannot Price Order", ex.Message);
        }
    }

    /// <summary>
    /// product-api's shortfall in the order API's words: products that do not exist make the order unprocessable,
    /// otherwise it is out of stock, naming the short lines and their requested quantities.
    /// </summary>
    private static ShopRefusal ForCustomer(OutOfStockRefusal shortfall, IReadOnlyList<RequestedLine> lines)
    {
        var missing = shortfall.Shortages.Where(s => !s.Exists).Select(s => s.ProductId.ToString()).ToArray();
        if (missing.Length > 0)
        {
            return new UnprocessableRefusal("Unknown Products", $"These products do not exist: {string.Join(", ", missing)}.",
                new Dictionary<string, object?> { ["missingProductIds"] = missing });
        }
        var shortIds = shortfall.Shortages.Select(s => s.ProductId).ToHashSet();
        var shortLines = lines.Where(l => shortIds.Contains(l.ProductId)).ToList();
        return new OutOfStockRefusal(shortfall.Shortages,
            shortfall.Shortages.Count > 0
                ? "Not enough stock: " + string.Join("; ", shortfall.Shortages.Select(s => s.Description))
                : "Not enough stock for this order.",
            new Dictionary<string, object?>
            {
                ["products"] = (shortLines.Count > 0 ? shortLines : lines)
                    .Select(l => new { productId = l.ProductId, requested = l.Quantity }).ToArray(),
            });
    }

    /// <summary>
    /// Stores the order, its event, the claim's completion and, when paid at placement, the attempt holding the order,
    /// in one statement (<see cref="PlacedOrderWrites"/>), then wakes the outbox relay. When the statement stores
    /// nothing, either an earlier run of it was stored and only its answer was lost (the retrying execution strategy
    /// ran it again: the order exists), or the claim's lease ran out and the sweeper revoked it (its stock is being
    /// released).
    /// </summary>
    private async Task<CreatedOrder> SaveAsync(Guid orderId, NewOrder request, PricedOrder priced, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("SaveOrder");
        var now = time.GetUtcNow();
        var order = Order.Create(orderId, request.UserId, request.Email, request.ShippingAddress, priced, now);
        var message = OutboxExtensions.OutboxMessageFor(order, now);
        var attempt = request.PayAtPlacement ? Payment.BeginFor(order, now) : null;
        // The insert and the read of an earlier run's rows are retried together, as one unit: the statement is safe to run again.
        var stored = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            await db.InsertPlacedOrderAsync(order, request.IdempotencyKey, message, attempt, ct)
            ?? await db.ReadPlacedOrderRowsAsync(orderId, attempt?.Id, ct), cancellationToken)
            ?? throw OrderRefusals.ClaimLapsed();
        outboxSignal.Notify();
        if (attempt is null)
        {
            return new CreatedOrder(order, Replayed: false);
        }
        var (held, heldBy) = db.TrackPlacedWithAttempt(order, attempt, stored);
        return new CreatedOrder(held, Replayed: false, heldBy);
    }
}
