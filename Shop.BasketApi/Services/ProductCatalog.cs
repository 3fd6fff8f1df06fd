using System.Globalization;
using Grpc.Core;
using Shop.BasketApi.Model;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Refusals;

namespace Shop.BasketApi.Services;

/// <summary>Current names, prices and stock from product-api: one batched gRPC call (GetProducts) per cart view.</summary>
public sealed class ProductCatalog(ProductService.ProductServiceClient products)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>The products that exist among <paramref name="ids"/>, by id; unknown ids are absent.</summary>
    /// <exception cref="UnavailableRefusal">product-api did not answer.</exception>
    public async Task<IReadOnlyDictionary<Guid, CatalogProduct>> GetProductsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var request = new GetProductsRequest();
        request.ProductIds.AddRange(ids.Distinct().Select(id => id.ToString()));
        if (request.ProductIds.Count == 0) return new Dictionary<Guid, CatalogProduct>();
        GetProductsReply reply;
        try
        {
            reply = await products.GetProductsAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted
                                          or StatusCode.Internal or StatusCode.Unknown && !cancellationToken.IsCancellationRequested)
        {
            throw BasketRefusals.Unavailable("product service", RetryAfter, ex);
        }
        return reply.Products.ToDictionary(p => Guid.Parse(p.ProductId),
            p => new CatalogProduct(Guid.Parse(p.ProductId), p.Name, decimal.Parse(p.Price, CultureInfo.InvariantCulture), p.Currency, p.Stock));
    }
}
