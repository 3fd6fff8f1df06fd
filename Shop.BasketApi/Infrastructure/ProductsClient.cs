using System.Globalization;
using Grpc.Core;
using Shop.BasketApi.Model;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Grpc;
using Shop.ServiceDefaults.Refusals;

namespace Shop.BasketApi.Infrastructure;

/// <summary>Current names, prices and stock from product-api: one batched gRPC call (GetProducts) per cart view.</summary>
public sealed class ProductsClient(ProductService.ProductServiceClient products)
{
    /// <summary>The products that exist among <paramref name="ids"/>, by id; unknown ids are absent.</summary>
    /// <exception cref="ShopRefusal">product-api refused or did not answer (<see cref="GrpcRefusals.ToRefusal"/>).</exception>
    public async Task<IReadOnlyDictionary<Guid, CurrentProduct>> GetProductsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var request = new GetProductsRequest();
        request.ProductIds.AddRange(ids.Distinct().Select(id => id.ToString()));
        if (request.ProductIds.Count == 0) return new Dictionary<Guid, CurrentProduct>();
        GetProductsReply reply;
        try
        {
            reply = await products.GetProductsAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested && GrpcRefusals.ToRefusal(ex, "product") is { } refusal)
        {
            throw refusal;
        }
        return reply.Products.ToDictionary(p => Guid.Parse(p.ProductId),
            p => new CurrentProduct(Guid.Parse(p.ProductId), p.Name, decimal.Parse(p.Price, CultureInfo.InvariantCulture), p.Currency, p.Stock));
    }
}
