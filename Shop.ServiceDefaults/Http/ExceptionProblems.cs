using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Refusals;

namespace Shop.ServiceDefaults.Http;

/// <summary>What a client may learn of a failure: never an exception message, a type name or a stack.</summary>
public sealed record ExceptionProblem(ProblemDetails Problem, TimeSpan? RetryAfter, ExceptionProblemKind Kind);

public enum ExceptionProblemKind
{
    /// <summary>The domain refused the request (a <see cref="ShopRefusal"/>): an answer, not a failure.</summary>
    Refused,

    /// <summary>The request is at fault (4xx).</summary>
    BadRequest,

    /// <summary>A dependency is briefly unavailable (503 + Retry-After).</summary>
    Transient,

    /// <summary>Our fault (500).</summary>
    Unexpected,
}

/// <summary>
/// Maps an exception that escaped an endpoint to the ProblemDetails a client sees: a domain refusal through
/// <see cref="RefusalProblems"/>, anything else by what it says of the request. Minimal APIs throw
/// BadHttpRequestException for bodies and values they cannot bind (RouteHandlerOptions.ThrowOnBadRequest); its
/// message names the C# type, so only the parameter name and the JSON path of the client's own document are kept.
/// </summary>
public static partial class ExceptionProblems
{
    public static readonly TimeSpan TransientRetryAfter = TimeSpan.FromSeconds(1);

    public static ExceptionProblem For(Exception exception)
    {
        if (exception is ShopRefusal refusal) return RefusalProblems.For(refusal);

        if (Find<JsonException>(exception) is { } json) return InvalidJson(json);

        if (exception is BadHttpRequestException badRequest) return ForBadRequest(badRequest);

        if (DatabaseFailures.IsTransient(exception))
        {
            return new(Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The service is briefly unable to answer; retry shortly."), TransientRetryAfter, ExceptionProblemKind.Transient);
        }

        if (DatabaseFailures.IsInvalidInput(exception))
        {
            return new(Problem(StatusCodes.Status400BadRequest, "Bad Request",
                "A value in the request cannot be stored."), null, ExceptionProblemKind.BadRequest);
        }

        return new(Problem(StatusCodes.Status500InternalServerError, "Internal Server Error",
            "An unexpected error occurred."), null, ExceptionProblemKind.Unexpected);
    }

    private static ExceptionProblem ForBadRequest(BadHttpRequestException exception)
    {
        var status = exception.StatusCode;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            return BadRequest(Problem(status, "Payload Too Large", "The request body is too large."));
        }
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            return BadRequest(Problem(status, "Unsupported Media Type", "The request body must be JSON sent as Content-Type: application/json."));
        }
        if (ImplicitBodyMissing().IsMatch(exception.Message))
        {
            return BadRequest(Problem(StatusCodes.Status400BadRequest, "Bad Request", "A JSON request body is required."));
        }
        if (UnboundParameter().Match(exception.Message) is { Success: true } unbound)
        {
            return BadRequest(FieldProblem(unbound.Groups["name"].Value, "The value is not valid."));
        }
        if (MissingParameter().Match(exception.Message) is { Success: true } missing)
        {
            return BadRequest(missing.Groups["source"].Value == "body"
                ? Problem(StatusCodes.Status400BadRequest, "Bad Request", "A JSON request body is required.")
                : FieldProblem(missing.Groups["name"].Value, "Required."));
        }
        return BadRequest(Problem(status is >= 400 and < 500 ? status : StatusCodes.Status400BadRequest, "Bad Request",
            "The request could not be read."));
    }

    private static ExceptionProblem InvalidJson(JsonException exception)
    {
        var problem = Problem(StatusCodes.Status400BadRequest, "Bad Request", "The request body is not valid JSON.");
        // The path is the client's own document ($.shippingAddress.line1), which names the field it got wrong.
        if (exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal))
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [path[2..]] = ["Not a valid value for this field (wrong JSON type, out of range, or an unpaired surrogate)."],
            };
        }
        return BadRequest(problem);
    }

    private static ProblemDetails FieldProblem(string field, string message)
    {
        var problem = Problem(StatusCodes.Status400BadRequest, "Bad Request", "One or more values are not valid.");
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }

    private static ExceptionProblem BadRequest(ProblemDetails problem) => new(problem, null, ExceptionProblemKind.BadRequest);

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match) return match;
        }
        return null;
    }

    // Messages of Microsoft.AspNetCore.Http.RequestDelegateFactory, e.g. Failed to bind parameter "int page" from "abc".
    [GeneratedRegex("^Failed to bind parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\" from ")]
    private static partial Regex UnboundParameter();

    [GeneratedRegex("^Required parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\" was not provided from (?<source>[a-z ]+)\\.")]
    private static partial Regex MissingParameter();

    [GeneratedRegex("^Implicit body inferred for parameter .* but no body was provided")]
    private static partial Regex ImplicitBodyMissing();
}
