using System.Text.Json;

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
        Assert.True(statuses.Contains(response.StatusCode), $"Expected {string.Join(" or ", statuses)}, got {(int)response.StatusCode}: {body}");
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
