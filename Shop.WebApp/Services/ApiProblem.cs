using System.Text.Json;
using Shop.WebApp.Clients;

namespace Shop.WebApp.Services;

/// <summary>
/// What a shopper is told about a refused gateway call: the ProblemDetails title/detail, field errors by field name
/// (case-insensitive, as the services name them: "shippingAddress.city", "cardNumber"), and Retry-After seconds for
/// 429/503. Read from the body text, so it works whichever error schema an operation documents.
/// </summary>
/// <param name="OrderId">The order a refused request still stored: order-api's 402 of a declined checkout names it
/// (<c>orderId</c>), and the order stays pending, payable on its own page.</param>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, int? RetryAfterSeconds,
    Guid? OrderId = null)
{
    public static ApiProblem From(ApiException e)
    {
        string title = e.StatusCode switch
        {
            429 => "Too many requests",
            503 or 502 or 504 => "This part of the shop is unavailable right now",
            _ => "The request was refused",
        };
        string? detail = null;
        Guid? orderId = null;
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            if (e.Response is { } body && !string.IsNullOrWhiteSpace(body))
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String) title = t.GetString()!;
                if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) detail = d.GetString();
                if (root.TryGetProperty("orderId", out var o) && o.ValueKind == JsonValueKind.String && o.TryGetGuid(out var id)) orderId = id;
                if (root.TryGetProperty("errors", out var errs) && errs.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in errs.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? field.Value.EnumerateArray().Select(v => v.ToString()).ToArray()
                            : [field.Value.ToString()];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails (e.g. a proxy's page): the status's own wording stays.
        }
        int? retryAfter = e.Headers.TryGetValue("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), out var seconds) ? seconds : null;
        return new ApiProblem(e.StatusCode, title, detail, errors, retryAfter, orderId);
    }

    /// <summary>The messages for a field, matching "city" to "shippingAddress.city" as well.</summary>
    public IEnumerable<string> For(string field) => Errors
        .Where(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase) || e.Key.EndsWith("." + field, StringComparison.OrdinalIgnoreCase))
        .SelectMany(e => e.Value);

    /// <summary>
    /// One sentence for the shopper. A 429 is said in the shop's words (the gateway's detail names its limiter policy,
    /// which means nothing to a shopper), with the wait from Retry-After; a 503 keeps the service's words and the wait.
    /// </summary>
    public string Summary => Status switch
    {
        429 => $"You sent many requests in a short time. {RetryHint}",
        503 when RetryAfterSeconds is not null => $"{Sentence(Detail ?? Title)} {RetryHint}",
        _ => Detail ?? Title,
    };

    private string RetryHint => RetryAfterSeconds is { } s ? $"Please try again in {s} s." : "Please try again in a moment.";

    private static string Sentence(string text) => text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
}
