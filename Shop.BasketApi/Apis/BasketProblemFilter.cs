using System.Globalization;
using Shop.BasketApi.Model;
using StackExchange.Redis;

namespace Shop.BasketApi.Apis;

/// <summary>The cart's refusals as RFC 7807: rule → 400 with the field, unknown product → 404, empty checkout → 422, a dependency down → 503 + Retry-After.</summary>
internal sealed partial class BasketProblemFilter(ILogger<BasketProblemFilter> logger) : IEndpointFilter
{
    private static readonly TimeSpan RedisRetryAfter = TimeSpan.FromSeconds(1);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (BasketRuleException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.Field] = [ex.Message] });
        }
        catch (UnknownProductException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown Product", detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["productId"] = ex.ProductId });
        }
        catch (EmptyBasketException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Empty Basket", detail: ex.Message);
        }
        catch (DependencyUnavailableException ex) when (!context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(logger, ex);
            return Unavailable(context.HttpContext, ex.RetryAfter, ex.Message + " Retry shortly; the basket is unchanged.");
        }
        catch (Exception ex) when (ex is RedisException && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnavailable(logger, ex);
            return Unavailable(context.HttpContext, RedisRetryAfter, "The basket store is briefly unavailable; retry shortly.");
        }
    }

    private static IResult Unavailable(HttpContext http, TimeSpan retryAfter, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable", detail: detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Basket request answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
