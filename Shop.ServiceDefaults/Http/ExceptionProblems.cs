using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults.Data;
using Shop.ServiceDefaults.Refusals;
using Shop.ServiceDefaults.Validation;

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

    /// <param name="bodyType">The endpoint's request body type, when it has one (IAcceptsMetadata.RequestType): a JSON
    /// value of the wrong type is then answered with the type the field expects.</param>
    public static ExceptionProblem For(Exception exception, Type? bodyType = null)
    {
        if (exception is ShopRefusal refusal) return RefusalProblems.For(refusal);

        if (Find<JsonException>(exception) is { } json) return InvalidJson(json, bodyType);

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

    private static ExceptionProblem InvalidJson(JsonException exception, Type? bodyType)
    {
        // The path is the client's own document ($.shippingAddress.line1), which names the field it got wrong.
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        // Well-formed JSON with a value the field cannot take; the reader's own failures (malformed JSON) come as a
        // JsonException subtype or wrapped around one.
        var wrongValue = exception.GetType() == typeof(JsonException) && exception.InnerException is not JsonException && !IsInvalidText(exception);

        if (wrongValue && bodyType is not null && field is not null && JsonTypes.FieldType(bodyType, field) is { } fieldType)
        {
            var expected = JsonTypes.Describe(fieldType);
            // A field error, titled as the validation's own: one kind of 400 for a client, whichever check found it.
            var problem = Problem(StatusCodes.Status400BadRequest, InvalidRefusal.DefaultTitle, $"The value of '{field}' is not {expected}.");
            problem.Extensions["errors"] = FieldErrors.Single(field, $"Must be {expected}.");
            return BadRequest(problem);
        }
        if (bodyType is not null && exception.Path == "$")
        {
            return BadRequest(Problem(StatusCodes.Status400BadRequest, "Bad Request", $"The request body must be {JsonTypes.Describe(bodyType)}."));
        }

        var invalid = Problem(StatusCodes.Status400BadRequest, "Bad Request", "The request body is not valid JSON.");
        if (field is not null)
        {
            invalid.Extensions["errors"] = FieldErrors.Single(field,
                IsInvalidText(exception) ? "Must be valid Unicode text (no unpaired surrogates)." : "Not a valid value for this field.");
        }
        return BadRequest(invalid);
    }

    // System.Text.Json reports a string it cannot decode (an unpaired surrogate escape) as a failed conversion too.
    private static bool IsInvalidText(JsonException exception) =>
        exception.InnerException is InvalidOperationException inner && inner.Message.Contains("UTF-16", StringComparison.Ordinal);

    private static ProblemDetails FieldProblem(string field, string message)
    {
        var problem = Problem(StatusCodes.Status400BadRequest, InvalidRefusal.DefaultTitle, InvalidRefusal.DefaultDetail);
        problem.Extensions["errors"] = FieldErrors.Single(field, message);
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
