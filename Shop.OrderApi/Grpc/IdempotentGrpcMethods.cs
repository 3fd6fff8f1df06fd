namespace Shop.OrderApi.Grpc;

/// <summary>
/// The gRPC methods that may be retried. GetUser and GetProducts are reads. ReserveStock is keyed by the order
/// id (a replay returns the first outcome, per product.proto) and ReleaseStock is a no-op when repeated, so a
/// retry after a lost reply cannot reserve or release twice. Any other method (CreateUser, ...) is never retried.
/// </summary>
public static class IdempotentGrpcMethods
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal)
    {
        "/shop.user.v1.UserService/GetUser",
        "/shop.user.v1.UserService/ValidateToken",
        "/shop.product.v1.ProductService/GetProduct",
        "/shop.product.v1.ProductService/GetProducts",
        "/shop.product.v1.ProductService/ReserveStock",
        "/shop.product.v1.ProductService/ReleaseStock",
    };

    public static bool IsIdempotent(HttpRequestMessage? request) =>
        request?.RequestUri is { } uri && Paths.Contains(uri.AbsolutePath);
}
