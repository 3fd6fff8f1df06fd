using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Errors;

/// <summary>What every error a client sees must be: RFC 7807 with a trace id, and nothing internal.</summary>
public static class GatewayProblemAssert
{
    // Markers of exception text, stack traces and .NET type names.
    private static readonly string[] InternalMarkers =
        ["\"exception\"", "Exception", "   at ", "System.", "Microsoft.", "Shop.", "StackTrace", "stack", ".cs:line"];

    public static async Task<JsonElement> IsSafeProblemAsync(HttpResponseMessage response, params HttpStatusCode[] statuses)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!statuses.Contains(response.StatusCode))
        {
            // A 5xx nobody expected: the services' errors of the last moments say what went wrong behind it.
            var logged = (int)response.StatusCode >= 500
                ? $"{Environment.NewLine}Errors the services logged in the last 30 s: {await ServiceFailureLog.Instance.DescribeAsync(DateTime.UtcNow.AddSeconds(-30), TimeSpan.FromSeconds(3))}"
                : "";
            Assert.Fail($"Expected {string.Join(" or ", statuses)}, got {(int)response.StatusCode}: {body}{logged}");
        }
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var marker in InternalMarkers)
        {
            Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
        }
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()), body);
        return problem;
    }

    /// <summary>A 400 whose <c>errors</c> member names <paramref name="field"/>.</summary>
    public static async Task NamesFieldAsync(HttpResponseMessage response, string field)
    {
        var problem = await IsSafeProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
            $"The problem does not name '{field}': {problem}");
    }
}
