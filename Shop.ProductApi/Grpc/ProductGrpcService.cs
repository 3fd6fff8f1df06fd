using Grpc.Core;
using System.Globalization;
using Shop.ProductApi.Grpc.V1;
using Shop.ProductApi.Model;
using Shop.ProductApi.Inventory;
using Shop.ProductApi.Services;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ProductApi.Grpc;

public sealed class ProductGrpcService(ProductReader reader, StockReservations reservations) : ProductService.ProductServiceBase
{
    private const int MaxBatch = 500;
    private const int MaxQuantity = 100_000;

    public override async Task<ProductReply> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        var id = ParseId(request.ProductId, "product_id");
        return ToReply(await reader.GetProductAsync(id, context.CancellationToken));
    }

    /// <summary>One query for the whole batch, read fresh: callers use it to price orders.</summary>
    public override async Task<GetProductsReply> GetProducts(GetProductsRequest request, ServerCallContext context)
    {
        if (request.ProductIds.Count > MaxBatch) throw InvalidRefusal.Field("product_ids", $"At most {MaxBatch} ids per call.");
        var ids = request.ProductIds.Select(id => ParseId(id, "product_ids")).Distinct().ToArray();
        var products = await reader.GetFreshProductsAsync(ids, context.CancellationToken);

        var reply = new GetProductsReply();
        reply.Products.AddRange(products.Select(ToReply));
        reply.MissingIds.AddRange(ids.Except(products.Select(p => p.Id)).Select(id => id.ToString()));
        return reply;
    }

    public override async Task<ReserveStockReply> ReserveStock(ReserveStockRequest request, ServerCallContext context)
    {
        var orderId = ParseId(request.OrderId, "order_id");
        if (request.Items.Count == 0) throw InvalidRefusal.Field("items", "At least one item.");
        if (request.Items.Count > MaxBatch) throw InvalidRefusal.Field("items", $"At most {MaxBatch} items.");
        var quantities = new Dictionary<Guid, int>();
        foreach (var item in request.Items)
        {
            var productId = ParseId(item.ProductId, "items.product_id");
            if (item.Quantity is <= 0 or > MaxQuantity) throw InvalidRefusal.Field("items.quantity", $"Quantity of {productId} must be between 1 and {MaxQuantity}.");
            quantities[productId] = quantities.GetValueOrDefault(productId) + item.Quantity;
        }

        var outcome = await reservations.ReserveAsync(orderId, quantities, context.CancellationToken);
        return outcome switch
        {
            ReservationOutcome.Reserved reserved => new ReserveStockReply
            {
                OrderId = orderId.ToString(),
                Replayed = reserved.Replayed,
                Products = { reserved.Products.Select(p => new ReservedProductReply
                {
                    ProductId = p.Id.ToString(),
                    Sku = p.Sku,
                    Name = p.Name,
                    Price = p.Price.ToString(CultureInfo.InvariantCulture),
                    Currency = p.Currency,
                }) },
            },
            ReservationOutcome.Rejected rejected => throw Shortfall(rejected),
            ReservationOutcome.Released => throw new ConflictRefusal($"The stock of order {orderId} was already released; it cannot be reserved again."),
            _ => throw new InvalidOperationException("Unknown reservation outcome."),
        };
    }

    public override async Task<ReleaseStockReply> ReleaseStock(ReleaseStockRequest request, ServerCallContext context)
    {
        var orderId = ParseId(request.OrderId, "order_id");
        return new ReleaseStockReply { Released = await reservations.ReleaseAsync(orderId, context.CancellationToken) };
    }

    private static ProductReply ToReply(ProductView p) => new()
    {
        ProductId = p.Id.ToString(),
        Sku = p.Sku,
        Name = p.Name,
        Price = p.Price.ToString(CultureInfo.InvariantCulture),
        Currency = p.Currency,
        Stock = p.Stock,
        Category = p.Category,
        Brand = p.Brand,
    };

    /// <summary>Names every short or missing product (sent as FAILED_PRECONDITION with one violation each).</summary>
    private static OutOfStockRefusal Shortfall(ReservationOutcome.Rejected rejected) =>
        new([.. rejected.Shortages.Select(s => new ServiceDefaults.Refusals.StockShortage(s.ProductId, s.Available is not null, s.Available is null
            ? $"Product {s.ProductId} does not exist."
            : $"Product {s.ProductId}: requested {s.Requested}, available {s.Available}."))]);

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw InvalidRefusal.Field(field, $"'{value}' is not a UUID.");
}
