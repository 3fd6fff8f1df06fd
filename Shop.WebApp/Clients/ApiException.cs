using System.Text.Json;

namespace Shop.WebApp.Clients;

/// <summary>
/// A gateway answer the generated clients did not expect as success: <see cref="StatusCode"/> is the HTTP status,
/// <see cref="Response"/> the body text (RFC 7807 ProblemDetails for every Shop service), <see cref="Headers"/> the
/// answer's headers (e.g. Retry-After). Shared by all five generated clients (NSwag: /GenerateExceptionClasses:false).
/// </summary>
public class ApiException(string message, int statusCode, string? response,
    IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
    : Exception(message, innerException)
{
    public int StatusCode { get; } = statusCode;
    public string? Response { get; } = response;
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; } = headers;
}

/// <summary>
/// An <see cref="ApiException"/> whose body was read as the documented error type (e.g. HttpValidationProblemDetails).
/// NSwag reads such a body as a stream and passes no text, so <see cref="ApiException.Response"/> is the result written
/// back as JSON: the ProblemDetails' title, detail and field errors stay readable wherever an ApiException is handled.
/// </summary>
public class ApiException<TResult>(string message, int statusCode, string? response,
    IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
    : ApiException(message, statusCode, string.IsNullOrEmpty(response) ? JsonSerializer.Serialize(result) : response, headers, innerException)
{
    public TResult Result { get; } = result;
}
