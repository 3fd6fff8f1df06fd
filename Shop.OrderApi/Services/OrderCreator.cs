using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Apis;
using Shop.OrderApi.Grpc;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.IntegrationEvents;
using Shop.OrderApi.Model;
using Shop.ProductApi.Grpc.V1;
using Shop.UserApi.Grpc.V1;

namespace Shop.OrderApi.Services;

public sealed record CreatedOrder(Order Order, bool Replayed);

/// <summary>
/// The central flow: claim the idempotency key, validate the user, load and price the products, reserve stock
/// under the order id, then store order + items + outbox event + the claim's completion in one transaction.
/// Anything failing after the reservation gives the stock back here; if this process dies first, the claim's lease
/// runs out and the <see cref="AbandonedClaimSweeper"/> does it (the claim records the order id).
/// </summary>
public sealed class OrderCreator(
    OrderingDbContext db,
    IdempotencyStore idempotency,
    UserService.UserServiceClient users,
    ProductService.ProductServiceClient products,
    Microsoft.Extensions.Options.IOptionsMonitor<GrpcResilienceOptions> resilience,
    StockReleaser stockReleaser,
    TimeProvider time)
{
    private const string OutOfStockTitle = "Out of Stock";

    public async Task<CreatedOrder> CreateAsync(Guid userId, string idempotencyKey, CreateOrderRequest request,
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
        // Set before the call: a reservation can be applied even when its answer is lost.
        var mayHaveReserved = false;
        var saving = false;
        try
        {
            var email = await ValidateUserAsync(userId, cancellationToken);
            var priced = await PriceAsync(lines, cancellationToken);
            mayHaveReserved = true;
            await ReserveStockAsync(orderId, priced, cancellationToken);
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
            var compensated = mayHaveStored ? false
                : !mayHaveReserved || ex is OrderProblemException { Title: OutOfStockTitle } || await stockReleaser.ReleaseOrQueueAsync(orderId);
            // A claim whose stock is neither released nor queued stays: it owns the reservation until the sweeper has released it.
            if (compensated)
            {
                await idempotency.ReleaseAsync(userId, idempotencyKey, orderId);
            }
            throw;
        }
    }

    private async Task<string> ValidateUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("ValidateUser");
        UserReply user;
        try
        {
            user = await users.GetUserAsync(new GetUserRequest { UserId = userId.ToString() }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            throw new OrderProblemException(StatusCodes.Status403Forbidden, "Forbidden", "The account placing the order does not exist.");
        }
        catch (RpcException ex) when (GrpcErrors.IsUnavailable(ex))
        {
            throw GrpcErrors.Unavailable(ex, "user", resilience.CurrentValue.BreakerBreakDuration);
        }
        if (!user.Active)
        {
            throw new OrderProblemException(StatusCodes.Status403Forbidden, "Forbidden", "The account placing the order is deactivated.");
        }
        return user.Email;
    }

    private async Task<PricedOrder> PriceAsync(IReadOnlyList<RequestedLine> lines, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("GetProducts");
        activity?.SetTag("shop.products.count", lines.Count);
        GetProductsReply reply;
        try
        {
            var request = new GetProductsRequest();
            request.ProductIds.AddRange(lines.Select(l => l.ProductId.ToString()));
            reply = await products.GetProductsAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (GrpcErrors.IsUnavailable(ex))
        {
            throw GrpcErrors.Unavailable(ex, "product", resilience.CurrentValue.BreakerBreakDuration);
        }

        if (reply.MissingIds.Count > 0)
        {
            throw new OrderProblemException(StatusCodes.Status422UnprocessableEntity, "Unknown Products",
                $"These products do not exist: {string.Join(", ", reply.MissingIds)}.",
                extensions: new Dictionary<string, object?> { ["missingProductIds"] = reply.MissingIds.ToArray() });
        }
        var catalog = reply.Products.Select(p => new CatalogProduct(Guid.Parse(p.ProductId), p.Sku, p.Name, p.Price, p.Currency, p.Stock))
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

    private async Task ReserveStockAsync(Guid orderId, PricedOrder priced, CancellationToken cancellationToken)
    {
        using var activity = OrderTelemetry.Source.StartActivity("ReserveStock");
        var request = new ReserveStockRequest { OrderId = orderId.ToString() };
        request.Items.AddRange(priced.Lines.Select(l => new StockItem { ProductId = l.ProductId.ToString(), Quantity = l.Quantity }));
        try
        {
            await products.ReserveStockAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            // The catalog names the short products in the message; list those of this order it mentions.
            var named = priced.Lines.Where(l => ex.Status.Detail.Contains(l.ProductId.ToString(), StringComparison.OrdinalIgnoreCase)
                || ex.Status.Detail.Contains(l.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            var shortLines = named.Count > 0 ? named : [.. priced.Lines];
            throw new OrderProblemException(StatusCodes.Status409Conflict, OutOfStockTitle,
                $"Not enough stock for: {string.Join(", ", shortLines.Select(l => $"{l.Name} ({l.ProductId})"))}.",
                extensions: new Dictionary<string, object?>
                {
                    ["products"] = shortLines.Select(l => new { productId = l.ProductId, name = l.Name, requested = l.Quantity }).ToArray(),
                });
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
