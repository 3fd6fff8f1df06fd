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
    /// Adds <c>traceId</c> (the W3C trace id of the request, as the dashboard shows it) when missing and removes
    /// members that carry exception details.
    /// </summary>
    public static void Apply(HttpContext httpContext, ProblemDetails problem)
    {
        foreach (var member in InternalMembers)
        {
            problem.Extensions.Remove(member);
        }
        if (!problem.Extensions.ContainsKey("traceId"))
        {
            problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        }
    }
}
