using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.Http;

/// <summary>The one mapping of a domain refusal to the HTTP answer a client sees (RFC 9110 statuses).</summary>
public static class RefusalProblems
{
    public static int StatusFor(ShopRefusal refusal) => refusal switch
    {
        InvalidRefusal => StatusCodes.Status400BadRequest,
        NotAuthenticatedRefusal => StatusCodes.Status401Unauthorized,
        PaymentDeclinedRefusal => StatusCodes.Status402PaymentRequired,
        ForbiddenRefusal => StatusCodes.Status403Forbidden,
        NotFoundRefusal => StatusCodes.Status404NotFound,
        ConflictRefusal or DuplicateRefusal or OutOfStockRefusal => StatusCodes.Status409Conflict,
        StaleVersionRefusal => StatusCodes.Status412PreconditionFailed,
        UnprocessableRefusal => StatusCodes.Status422UnprocessableEntity,
        ThrottledRefusal => StatusCodes.Status429TooManyRequests,
        UnavailableRefusal => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ExceptionProblem For(ShopRefusal refusal)
    {
        var problem = new ProblemDetails { Status = StatusFor(refusal), Title = refusal.Title, Detail = refusal.Message };
        foreach (var (name, value) in refusal.Facts)
        {
            problem.Extensions[name] = value;
        }
        if (refusal is InvalidRefusal invalid)
        {
            problem.Extensions["errors"] = invalid.Errors;
        }
        var kind = refusal is UnavailableRefusal ? ExceptionProblemKind.Transient : ExceptionProblemKind.Refused;
        return new ExceptionProblem(problem, refusal.RetryAfter, kind);
    }
}
