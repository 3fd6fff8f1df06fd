using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Http;

/// <summary>
/// The one place an exception that escaped an endpoint becomes an answer, in every environment: RFC 7807 with a
/// trace id (see <see cref="ExceptionProblems"/>). The exception itself goes to the log (and so to the dashboard),
/// never to the client.
/// </summary>
public sealed partial class ShopExceptionHandler(IProblemDetailsService problemDetails, ILogger<ShopExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted) return false;

        var answer = ExceptionProblems.For(exception, httpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        switch (answer.Kind)
        {
            case ExceptionProblemKind.Unexpected:
                LogUnexpected(exception, httpContext.Request.Method, httpContext.Request.Path);
                break;
            case ExceptionProblemKind.Transient:
                LogTransient(exception, httpContext.Request.Method, httpContext.Request.Path);
                break;
            case ExceptionProblemKind.Refused:
                LogRefused(answer.Problem.Status, answer.Problem.Title);
                break;
            default:
                LogBadRequest(exception, answer.Problem.Status);
                break;
        }

        await WriteAsync(httpContext, problemDetails, answer.Problem, answer.RetryAfter);
        return true;
    }

    /// <summary>Writes <paramref name="problem"/> as application/problem+json, whatever the request's Accept header says.</summary>
    public static async ValueTask WriteAsync(HttpContext httpContext, IProblemDetailsService problemDetails, ProblemDetails problem, TimeSpan? retryAfter)
    {
        var response = httpContext.Response;
        response.Clear();
        response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var context = new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem };
        if (!await problemDetails.TryWriteAsync(context))
        {
            ProblemDetailsDefaultsApplier.Apply(httpContext, problem);
            await response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient failure answering {Method} {Path}; answered 503")]
    private partial void LogTransient(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused: {Status} {Title}")]
    private partial void LogRefused(int? status, string? title);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bad request answered {Status}")]
    private partial void LogBadRequest(Exception exception, int? status);
}
