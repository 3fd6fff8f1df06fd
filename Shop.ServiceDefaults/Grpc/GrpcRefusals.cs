using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Shop.ServiceDefaults.Refusals;
using RpcStatus = Google.Rpc.Status;

namespace Shop.ServiceDefaults.Grpc;

/// <summary>
/// The one mapping between domain refusals and gRPC statuses (https://grpc.github.io/grpc/core/md_doc_statuscodes.html),
/// with google.rpc error details where a caller needs the particulars: BadRequest for invalid fields,
/// PreconditionFailure (one violation per product) for a stock shortfall.
/// </summary>
public static class GrpcRefusals
{
    /// <summary>PreconditionFailure violation types of a stock shortfall (product.proto, ReserveStock).</summary>
    public const string ProductNotFound = "PRODUCT_NOT_FOUND";
    public const string InsufficientStock = "INSUFFICIENT_STOCK";

    private static readonly TimeSpan UnansweredRetryAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OverloadRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StandardBreakDuration = new HttpCircuitBreakerStrategyOptions().BreakDuration;

    /// <summary>Server side: the status a refusal is sent as (see <see cref="RefusalInterceptor"/>).</summary>
    public static RpcException ToRpcException(ShopRefusal refusal)
    {
        var status = new RpcStatus { Code = (int)CodeFor(refusal), Message = refusal.Message };
        switch (refusal)
        {
            case InvalidRefusal invalid:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(invalid.Errors.SelectMany(e => e.Value.Select(message =>
                    new BadRequest.Types.FieldViolation { Field = e.Key, Description = message })));
                status.Message = "The request has invalid fields: " + string.Join(", ", invalid.Errors.Keys);
                status.Details.Add(Any.Pack(badRequest));
                break;
            case OutOfStockRefusal shortfall:
                var failure = new PreconditionFailure();
                failure.Violations.AddRange(shortfall.Shortages.Select(s => new PreconditionFailure.Types.Violation
                {
                    Type = s.Exists ? InsufficientStock : ProductNotFound,
                    Subject = s.ProductId.ToString(),
                    Description = s.Description,
                }));
                status.Details.Add(Any.Pack(failure));
                break;
        }
        return status.ToRpcException();
    }

    private static Code CodeFor(ShopRefusal refusal) => refusal switch
    {
        InvalidRefusal => Code.InvalidArgument,
        NotAuthenticatedRefusal => Code.Unauthenticated,
        ForbiddenRefusal => Code.PermissionDenied,
        NotFoundRefusal => Code.NotFound,
        DuplicateRefusal => Code.AlreadyExists,
        ConflictRefusal or StaleVersionRefusal => Code.Aborted,
        OutOfStockRefusal or UnprocessableRefusal or PaymentDeclinedRefusal => Code.FailedPrecondition,
        ThrottledRefusal => Code.ResourceExhausted,
        UnavailableRefusal => Code.Unavailable,
        _ => Code.Internal,
    };

    /// <summary>
    /// Client side, for every gRPC caller: the refusal a failed call of <paramref name="service"/> stands for, or null
    /// when the status is a fault of ours (INVALID_ARGUMENT, INTERNAL, UNKNOWN, …) that must surface as one. An
    /// unreachable, slow or breaker-shed service is <see cref="UnavailableRefusal"/>, retryable after the break when
    /// the breaker is open.
    /// </summary>
    /// <param name="breakDuration">The caller's circuit-breaker break; by default the standard resilience handler's.</param>
    public static ShopRefusal? ToRefusal(RpcException ex, string service, TimeSpan? breakDuration = null)
    {
        if (IsUnavailable(ex))
        {
            var broken = Find<BrokenCircuitException>(ex) is not null;
            return new UnavailableRefusal(broken
                ? $"Calls to the {service} service are paused after repeated failures; try again later."
                : $"The {service} service did not answer; try again shortly.")
            { RetryAfter = broken ? breakDuration ?? StandardBreakDuration : UnansweredRetryAfter };
        }
        var detail = ex.Status.Detail;
        return ex.StatusCode switch
        {
            StatusCode.ResourceExhausted => new UnavailableRefusal($"The {service} service is overloaded; try again shortly.") { RetryAfter = OverloadRetryAfter },
            StatusCode.FailedPrecondition when ex.GetRpcStatus()?.GetDetail<PreconditionFailure>() is { } failure =>
                new OutOfStockRefusal([.. failure.Violations.Select(v => new StockShortage(
                    Guid.TryParse(v.Subject, out var id) ? id : Guid.Empty, v.Type != ProductNotFound, v.Description))], detail),
            StatusCode.NotFound => new NotFoundRefusal(detail),
            StatusCode.AlreadyExists => new DuplicateRefusal("Conflict", detail),
            StatusCode.Aborted => new ConflictRefusal(detail),
            _ => null,
        };
    }

    /// <summary>Whether the call failed because the other service is unreachable, slow or shed by the breaker.</summary>
    public static bool IsUnavailable(RpcException ex) =>
        ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || Find<BrokenCircuitException>(ex) is not null
        || Find<TimeoutRejectedException>(ex) is not null
        || Find<HttpRequestException>(ex) is not null;

    private static T? Find<T>(RpcException ex) where T : Exception
    {
        for (Exception? current = ex.Status.DebugException ?? ex.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match) return match;
        }
        return null;
    }
}
