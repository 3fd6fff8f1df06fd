using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// Client side, for a service that calls another over HTTP: the refusal an RFC 7807 answer stands for, the reverse
/// of <see cref="RefusalProblems"/>, so the caller rethrows it and its own mapping answers with the same status,
/// title, detail, facts and field errors (<see cref="Grpc.GrpcRefusals"/> does the same for gRPC).
/// </summary>
public static class ProblemRefusals
{
    /// <summary>Members every problem carries or that are mapped on their own: not facts.</summary>
    private static readonly HashSet<string> NotFacts = ["errors", "traceId", "exception"];

    /// <param name="status">The answer's HTTP status (4xx or 5xx).</param>
    /// <param name="problem">Its ProblemDetails body; null when it had none (then the status alone decides).</param>
    /// <param name="retryAfter">Its Retry-After, carried to a 409, 429 or 503 refusal (the statuses that send one).</param>
    /// <param name="service">The called service, named in the detail when the body says nothing ("order service").</param>
    /// <returns>A 5xx or a status the vocabulary has no kind for is <see cref="UnavailableRefusal"/>.</returns>
    public static ShopRefusal ToRefusal(int status, ProblemDetails? problem, TimeSpan? retryAfter, string service)
    {
        var title = problem?.Title ?? "Refused";
        var detail = problem?.Detail ?? $"The {service} refused the request ({status}).";
        var facts = Facts(problem);
        return status switch
        {
            // A validation problem usually has no detail: the field errors say it, and "refused (400)" would say less.
            StatusCodes.Status400BadRequest => new InvalidRefusal(Errors(problem), title, problem?.Detail ?? InvalidRefusal.DefaultDetail),
            StatusCodes.Status401Unauthorized => new NotAuthenticatedRefusal(detail),
            StatusCodes.Status402PaymentRequired => new PaymentDeclinedRefusal(detail, facts),
            StatusCodes.Status403Forbidden => new ForbiddenRefusal(detail),
            StatusCodes.Status404NotFound => new NotFoundRefusal(detail, title, facts),
            StatusCodes.Status409Conflict => new ConflictRefusal(detail, title, facts) { RetryAfter = retryAfter },
            StatusCodes.Status412PreconditionFailed => new StaleVersionRefusal(detail),
            StatusCodes.Status422UnprocessableEntity => new UnprocessableRefusal(title, detail, facts),
            StatusCodes.Status429TooManyRequests => new ThrottledRefusal(title, detail) { RetryAfter = retryAfter },
            _ => new UnavailableRefusal(status >= 500 && problem?.Detail is { } said ? said : $"The {service} is unavailable. Retry shortly.")
            {
                RetryAfter = retryAfter,
            },
        };
    }

    private static Dictionary<string, object?> Facts(ProblemDetails? problem) =>
        problem is null ? [] : problem.Extensions.Where(e => !NotFacts.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);

    private static Dictionary<string, string[]> Errors(ProblemDetails? problem)
    {
        if (problem?.Extensions.TryGetValue("errors", out var errors) != true || errors is not JsonElement { ValueKind: JsonValueKind.Object } json)
        {
            return [];
        }
        return json.EnumerateObject().ToDictionary(
            field => field.Name,
            field => field.Value.ValueKind == JsonValueKind.Array
                ? [.. field.Value.EnumerateArray().Select(m => m.ToString())]
                : new[] { field.Value.ToString() });
    }
}
