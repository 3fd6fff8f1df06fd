using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Grpc;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ProductApi.Grpc.V1;
using Google.Rpc;

namespace Shop.OrderApi.Services;

public sealed record CreatedOrder(Order Order, bool Replayed);

/// <summary>
/// The central flow: claim the idempotency key, reserve stock under the order id and price the lines from the same
/// answer, then store order + items + outbox event + the claim's completion in one transaction.
/// Anything failing after the reservation gives the stock back here; if this process dies first, the claim's lease
/// runs out and the <see cref="AbandonedClaimSweeper"/> does it (the claim records the order id).
/// </summary>
public sealed class OrderCreator(
    OrderingDbContext db,
    IdempotencyStore idempotency,
    ProductService.ProductServiceClient products,
    Microsoft.Extensions.Options.IOptionsMonitor<GrpcResilienceOptions> resilience,
    StockReleaser stockReleaser,
    TimeProvider time)
{
    // Refusals of a rejected reservation: it holds no stock, so there is nothing to give back.
    private const string OutOfStockTitle = "Out of Stock";
    private const string UnknownProductsTitle = "Unknown Products";

    /// <summary>The catalog's violation type for a product that does not exist (product.proto, ReserveStock).</summary>
    private const string ProductNotFound = "PRODUCT_NOT_FOUND";

    /// <param name="userId">The caller; the shared token check has already established that the account is active.</param>
    /// <param name="email">The caller's email, from the token (an account's email never changes).</param>
    public async Task<CreatedOrder> CreateAsync(Guid userId, string email, string idempotencyKey, CreateOrderRequest request,
        IReadOnlyList<RequestedLine> lines, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("CreateOrder");
        activity?.SetTag("shop.user.id", userId);

        var claim = await idempotency.ClaimAsync(userId, idempotencyKey, RequestHash.Compute(request), cancellationToken);
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
            var priced = await ReserveAndPriceAsync(orderId, lines, cancellationToken);
            saving = true;
            var order = await SaveAsync(orderId, userId, idempotencyKey, email, request.ShippingAddress!, priced, cancellationToken);
            return new CreatedOrder(order, Replayed: false);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            // A save that failed without a verdict (connection lost around the commit) may have stored the order: then
            // the claim is completed with it, else the sweeper revokes it and releases the stock. Never guess here.
            var mayHaveStored = saving && ex is not OrderProblemException;
            var compensated = !mayHaveStored
                && (ex is OrderProblemException { Title: OutOfStockTitle or UnknownProductsTitle } || await stockReleaser.ReleaseOrQueueAsync(orderId));
            // A claim whose stock is neither released nor queued stays: it owns the reservation until the sweeper has released it.
            if (compensated)
            {
                await idempotency.ReleaseAsync(userId, idempotencyKey, orderId);
            }
            throw;
        }
    }

    /// <summary>
    /// Reserves the lines under the order id and prices them from the same answer: ReserveStock reads the products'
    /// prices under its row locks, so one call does what a GetProducts and a ReserveStock did.
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
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            throw Shortfall(ex, lines);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
        {
            // ProductApi already released this order id (the sweeper revoked this request's claim): never reserve again.
            throw ClaimLapsed();
        }
        catch (RpcException ex) when (GrpcErrors.IsUnavailable(ex))
        {
            throw GrpcErrors.Unavailable(ex, "product", resilience.CurrentValue.BreakerBreakDuration);
        }

        var catalog = reply.Products
            .Select(p => new CatalogProduct(Guid.Parse(p.ProductId), p.Sku, p.Name, p.Price, p.Currency))
            .ToDictionary(p => p.Id);
        try
        {
            return OrderPricing.Price(lines, catalog);
        }
        catch (PricingException ex)
        {
            throw new OrderProblemException(StatusCodes.Status422UnprocessableEntity, "Cannot Price Order", ex.Message);
        }
    }

    /// <summary>
    /// A rejected reservation, from the catalog's PreconditionFailure details (one violation per short product):
    /// products that do not exist make the order unprocessable (422), otherwise it is out of stock (409).
    /// </summary>
    private static OrderProblemException Shortfall(RpcException ex, IReadOnlyList<RequestedLine> lines)
    {
        var violations = ex.GetRpcStatus()?.GetDetail<PreconditionFailure>()?.Violations.ToList() ?? [];
        var missing = violations.Where(v => v.Type == ProductNotFound).Select(v => v.Subject).ToArray();
        if (missing.Length > 0)
        {
            return new OrderProblemException(StatusCodes.Status422UnprocessableEntity, UnknownProductsTitle,
                $"These products do not exist: {string.Join(", ", missing)}.",
                extensions: new Dictionary<string, object?> { ["missingProductIds"] = missing });
        }
        var shortIds = violations.Select(v => v.Subject).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var shortLines = lines.Where(l => shortIds.Contains(l.ProductId.ToString())).ToList();
        return new OrderProblemException(StatusCodes.Status409Conflict, OutOfStockTitle,
            violations.Count > 0
                ? "Not enough stock: " + string.Join("; ", violations.Select(v => v.Description))
                : "Not enough stock for this order.",
            extensions: new Dictionary<string, object?>
            {
                ["products"] = (shortLines.Count > 0 ? shortLines : lines)
                    .Select(l => new { productId = l.ProductId, requested = l.Quantity }).ToArray(),
            });
    }

    private static OrderProblemException ClaimLapsed() =>
        new(StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
            "The order took too long to place and was abandoned; retry with the same Idempotency-Key.", TimeSpan.FromSeconds(1));

    private async Task<Order> SaveAsync(Guid orderId, Guid userId, string idempotencyKey, string email, ShippingAddressRequest address, PricedOrder priced,
        CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("SaveOrder");
        var now = time.GetUtcNow();
        var order = Order.Create(orderId, userId, email,
            new ShippingAddress(address.Name!.Trim(), address.Line1!.Trim(), address.Line2?.Trim(), address.City!.Trim(),
                address.PostalCode!.Trim(), address.Country!.ToUpperInvariant()),
            priced, now);
        db.Orders.Add(order);
        db.AddOrderEvent(order, now);
        idempotency.Complete(userId, idempotencyKey, orderId, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The claim's lease ran out and the sweeper revoked it (its stock is being released): store nothing.
            db.ChangeTracker.Clear();
            throw ClaimLapsed();
        }
        return order;
    }
}
