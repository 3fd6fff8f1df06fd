namespace Shop.OrderApi.Services;

/// <summary>A request the service refuses, with the ProblemDetails it becomes (status, title, detail, extras).</summary>
public sealed class OrderProblemException(int status, string title, string detail,
    TimeSpan? retryAfter = null, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    public static OrderProblemException NotFound() =>
        new(StatusCodes.Status404NotFound, "Not Found", "No such order.");

    public static OrderProblemException Conflict(string detail) =>
        new(StatusCodes.Status409Conflict, "Conflict", detail);
}
