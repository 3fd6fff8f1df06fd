using Grpc.Core;
using Grpc.Core.Interceptors;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.Grpc;

/// <summary>Sends a refusal thrown by a gRPC service's domain code as its status (<see cref="GrpcRefusals"/>).</summary>
public sealed class RefusalInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (ShopRefusal refusal)
        {
            throw GrpcRefusals.ToRpcException(refusal);
        }
    }
}
