namespace Shop.OrderApi.Grpc;

/// <summary>
/// The gRPC methods of ProductService (the one service order-api calls) that may be retried. GetProduct and
/// GetProducts are reads. ReserveStock is keyed by the order
/// id (a replay returns the first outcome, per product.proto) and ReleaseStock is a no-op when repeated, so a
/// retry after a lost reply cannot reserve or release twice. Any other method is never retried.
/// </summary>
public static class IdempotentGrpcMethods
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal)
    {
        "/shop.product.v1.ProductService/GetProduct",
        "/shop.product.v1.ProductService/GetProducts",
        "/shop.product.v1.ProductService/ReserveStock",
        "/shop.product.v1.ProductService/ReleaseStock",
    };

    public static bool IsIdempotent(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && Paths.Contains(uri.AbsolutePath);
}
