using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Shop.ProductApi.Grpc.V1;
using Shop.ServiceDefaults.Configuration;

namespace Shop.OrderApi.Grpc;

public static class GrpcClientExtensions
{
    public static IHostApplicationBuilder AddOrderGrpcClients(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<GrpcResilienceOptions>(builder.Configuration.GetSection(GrpcResilienceOptions.SectionName));

        builder.Services.AddGrpcClient<ProductService.ProductServiceClient>(o => o.Address = ShopResources.GrpcAddress(ShopResources.ProductApi))
            .ReplaceResilience("product-grpc");
        return builder;
    }

    /// <summary>
    /// Swaps ServiceDefaults' standard handler for ours: total timeout → retry (idempotent methods, jittered) →
    /// circuit breaker → per-attempt timeout. One breaker per client, shared by all replicas of the target.
    /// </summary>
    private static IHttpClientBuilder ReplaceResilience(this IHttpClientBuilder client, string name)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler(name, static (pipeline, context) =>
        {
            context.EnableReloads<GrpcResilienceOptions>();
            var options = context.GetOptions<GrpcResilienceOptions>();

            pipeline.AddTimeout(options.TotalTimeout);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage())),
            });
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                FailureRatio = options.BreakerFailureRatio,
                BreakDuration = options.BreakerBreakDuration,
            });
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        return client;
    }

    /// <summary>Transient failures (no answer, attempt timed out, 502/503/504) of idempotent methods only; never an open breaker.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        var transient = outcome.Exception is HttpRequestException or TimeoutRejectedException
            || outcome.Result?.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;
        return transient && outcome.Exception is not BrokenCircuitException && IdempotentGrpcMethods.IsIdempotent(request);
    }
}
