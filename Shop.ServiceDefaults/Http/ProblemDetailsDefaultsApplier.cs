using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Shop.ServiceDefaults.Http;

/// <summary>What every ProblemDetails of every service carries, and what none may carry.</summary>
public static class ProblemDetailsDefaultsApplier
{
    /// <summary>Extension members that only ever hold internals (the developer exception page's "exception").</summary>
    private static readonly string[] InternalMembers = ["exception", "exceptionDetails", "stackTrace"];

    /// <summary>
    /// Adds <c>traceId</c> (the W3C trace id of the request, as the dashboard shows it) when missing, the <c>type</c>
    /// of the statuses ASP.NET Core has none for (<see cref="TypeFor"/>), and removes members that carry exception
    /// details.
    /// </summary>
    public static void Apply(HttpContext httpContext, ProblemDetails problem)
    {
        problem.Type ??= TypeFor(problem.Status ?? httpContext.Response.StatusCode);
        foreach (var member in InternalMembers)
        {
            problem.Extensions.Remove(member);
        }
        if (!problem.Extensions.ContainsKey("traceId"))
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        }
    }

    /// <summary>
    /// The RFC that defines a status ASP.NET Core's own defaults leave without a <c>type</c>: 402 (RFC 9110 §15.5.3) and
    /// 429 (RFC 6585 §4); null for the others, which get theirs from ASP.NET Core.
    /// </summary>
    public static string? TypeFor(int status) => status switch
    {
        StatusCodes.Status402PaymentRequired => "https://tools.ietf.org/html/rfc9110#section-15.5.3",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        _ => null,
    };
}
