using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.Grpc;

namespace Microsoft.Extensions.Hosting;

public static class GrpcServerExtensions
{
    /// <summary>gRPC services with refusals sent as statuses (<see cref="RefusalInterceptor"/>) and the gRPC health service.</summary>
    public static TBuilder AddDefaultGrpc<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddGrpc(options =>
        {
            // Without this, gRPC answers every unknown two-segment POST (such as /api/products sent as a form) as an
            // unimplemented service: a wrong Content-Type on a JSON endpoint would be a 404, not a 415.
            options.IgnoreUnknownServices = true;
            options.Interceptors.Add<RefusalInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }
}
