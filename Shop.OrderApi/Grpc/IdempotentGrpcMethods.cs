using System.Collections.Frozen;
using Shop.ProductApi.Grpc.V1;

namespace Shop.OrderApi.Grpc;

/// <summary>
/// The gRPC methods of ProductService (the one service order-api calls) that may be retried. GetProduct and
/// GetProducts are reads. ReserveStock is keyed by the order
/// id (a replay returns the first outcome, per product.proto) and ReleaseStock is a no-op when repeated, so a
/// retry after a lost reply cannot reserve or release twice. Any other method is never retried.
/// </summary>
public static class IdempotentGrpcMethods
{
    // Request paths ("/shop.product.v1.ProductService/GetProduct") from the generated service descriptor.
    private static readonly FrozenSet<string> Paths = new[]
    {
        nameof(ProductService.ProductServiceClient.GetProduct),
        nameof(ProductService.ProductServiceClient.GetProducts),
        nameof(ProductService.ProductServiceClient.ReserveStock),
        nameof(ProductService.ProductServiceClient.ReleaseStock),
    }.Select(PathOf).ToFrozenSet(StringComparer.Ordinal);

    public static bool IsIdempotent(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && Paths.Contains(uri.AbsolutePath);

    private static string PathOf(string methodName)
    {
        var method = ProductService.Descriptor.FindMethodByName(methodName)
            ?? throw new InvalidOperationException($"ProductService has no method {methodName}.");
        return $"/{method.Service.FullName}/{method.Name}";
    }
}
