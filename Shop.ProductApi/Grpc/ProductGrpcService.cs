using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Shop.ProductApi.Apis;
using Shop.ProductApi.Grpc.V1;
using Shop.ProductApi.Infrastructure;
using Shop.ProductApi.Inventory;
using Shop.ProductApi.Services;
using Status = Google.Rpc.Status;

namespace Shop.ProductApi.Grpc;

public sealed class ProductGrpcService(CatalogReader reader, CatalogDbContext db, StockReservations reservations) : ProductService.ProductServiceBase
{
    private const int MaxBatch = 500;
    private const int MaxQuantity = 100_000;

    public override async Task<ProductReply> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        var id = ParseId(request.ProductId, "product_id");
        var product = await reader.GetProductAsync(id, context.CancellationToken)
            ?? throw new RpcException(new global::Grpc.Core.Status(StatusCode.NotFound, $"No product {id}."));
        return ToReply(product);
    }

    /// <summary>One query for the whole batch, read fresh: callers use it to price orders.</summary>
    public override async Task<GetProductsReply> GetProducts(GetProductsRequest request, ServerCallContext context)
    {
        if (request.ProductIds.Count > MaxBatch) throw InvalidArgument("product_ids", $"At most {MaxBatch} ids per call.");
        var ids = request.ProductIds.Select(id => ParseId(id, "product_ids")).Distinct().ToArray();
        var products = await db.Products.AsNoTracking().Include(p => p.Category).Where(p => ids.Contains(p.Id)).ToListAsync(context.CancellationToken);

        var reply = new GetProductsReply();
        reply.Products.AddRange(products.Select(p => ToReply(ProductDetails.From(p))));
        reply.MissingIds.AddRange(ids.Except(products.Select(p => p.Id)).Select(id => id.ToString()));
        return reply;
    }

    public override async Task<ReserveStockReply> ReserveStock(ReserveStockRequest request, ServerCallContext context)
    {
        var orderId = ParseId(request.OrderId, "order_id");
        if (request.Items.Count == 0) throw InvalidArgument("items", "At least one item.");
        if (request.Items.Count > MaxBatch) throw InvalidArgument("items", $"At most {MaxBatch} items.");
        var quantities = new Dictionary<Guid, int>();
        foreach (var item in request.Items)
        {
            var productId = ParseId(item.ProductId, "items.product_id");
            if (item.Quantity is <= 0 or > MaxQuantity) throw InvalidArgument("items.quantity", $"Quantity of {productId} must be between 1 and {MaxQuantity}.");
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
            ReservationOutcome.Released => throw new RpcException(new global::Grpc.Core.Status(StatusCode.Aborted,
                $"The stock of order {orderId} was already released; it cannot be reserved again.")),
            _ => throw new InvalidOperationException("Unknown reservation outcome."),
        };
    }

    public override async Task<ReleaseStockReply> ReleaseStock(ReleaseStockRequest request, ServerCallContext context)
    {
        var orderId = ParseId(request.OrderId, "order_id");
        return new ReleaseStockReply { Released = await reservations.ReleaseAsync(orderId, context.CancellationToken) };
    }

    private static ProductReply ToReply(ProductDetails p) => new()
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

    /// <summary>FAILED_PRECONDITION naming every short product in the message and as PreconditionFailure violations.</summary>
    private static RpcException Shortfall(ReservationOutcome.Rejected rejected)
    {
        var failure = new PreconditionFailure();
        failure.Violations.AddRange(rejected.Shortages.Select(s => new PreconditionFailure.Types.Violation
        {
            Type = s.Available is null ? "PRODUCT_NOT_FOUND" : "INSUFFICIENT_STOCK",
            Subject = s.ProductId.ToString(),
            Description = s.Available is null
                ? $"Product {s.ProductId} does not exist."
                : $"Product {s.ProductId}: requested {s.Requested}, available {s.Available}.",
        }));
        var message = "Insufficient stock: " + string.Join("; ", failure.Violations.Select(v => v.Description));
        return new Status
        {
            Code = (int)Code.FailedPrecondition,
            Message = message,
            Details = { Any.Pack(failure) },
        }.ToRpcException();
    }

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw InvalidArgument(field, $"'{value}' is not a UUID.");

    private static RpcException InvalidArgument(string field, string description)
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };
        return new Status { Code = (int)Code.InvalidArgument, Message = $"{field}: {description}", Details = { Any.Pack(badRequest) } }.ToRpcException();
    }
}
