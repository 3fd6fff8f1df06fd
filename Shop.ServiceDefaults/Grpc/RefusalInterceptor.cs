using Grpc.Core;
using Grpc.Core.Interceptors;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.Grpc;

/// <summary>
/// Sends a refusal thrown by a gRPC service's domain code as its status (<see cref="GrpcRefusals"/>), and a transient
/// database failure as UNAVAILABLE, as the HTTP side answers it with a 503: a caller then retries or reports its
/// dependency unavailable instead of failing on an UNKNOWN.
/// </summary>
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
        catch (Exception ex) when (DatabaseFailures.IsTransient(ex) && !context.CancellationToken.IsCancellationRequested)
        {
            throw GrpcRefusals.ToRpcException(new UnavailableRefusal("The service is briefly unable to answer; retry shortly.", ex));
        }
    }
}
