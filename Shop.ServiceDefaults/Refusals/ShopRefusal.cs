using Shop.ServiceDefaults.Validation;

namespace Shop.ServiceDefaults.Refusals;

/// <summary>
/// A request the domain refuses: the service layer throws one of the sealed kinds below and knows nothing of HTTP or
/// gRPC. <c>ExceptionProblems</c> turns each kind into its ProblemDetails (status, <see cref="Title"/>, detail =
/// <see cref="Exception.Message"/>, <see cref="Facts"/> as extension members, Retry-After) and
/// <c>RefusalInterceptor</c> into its gRPC status; <c>GrpcRefusals</c> turns a gRPC status back into a refusal.
/// </summary>
/// <param name="cause">What made the domain refuse (a dependency's failure), for the log only: no mapping sends it.</param>
public abstract class ShopRefusal(string title, string detail, IReadOnlyDictionary<string, object?>? facts = null, Exception? cause = null)
    : Exception(detail, cause)
{
    /// <summary>A short, stable name of the refusal a client may show ("Out of Stock").</summary>
    public string Title { get; } = title;

    /// <summary>Machine-readable details (e.g. <c>missingProductIds</c>), keyed by their JSON member name.</summary>
    public IReadOnlyDictionary<string, object?> Facts { get; } = facts ?? new Dictionary<string, object?>();

    /// <summary>When the same request may succeed if sent again; null when retrying alone does not help.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>Values that break a rule, keyed by the field path the caller used (HTTP 400, gRPC INVALID_ARGUMENT).</summary>
public sealed class InvalidRefusal(IReadOnlyDictionary<string, string[]> errors,
    string title = InvalidRefusal.DefaultTitle, string detail = InvalidRefusal.DefaultDetail)
    : ShopRefusal(title, detail)
{
    public const string DefaultTitle = "One or more validation errors occurred.";
    public const string DefaultDetail = "One or more values are not valid.";

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The refusal of a request with one wrong field.</summary>
    /// <param name="field">The field's path as the caller named it: its JSON name ("quantity") or proto name ("cart.user_id").</param>
    public static InvalidRefusal Field(string field, string message) => new(FieldErrors.Single(field, message));
}

/// <summary>The caller is not who they claim, or not signed in (HTTP 401, gRPC UNAUTHENTICATED).</summary>
public sealed class NotAuthenticatedRefusal(string detail) : ShopRefusal("Unauthorized", detail);

/// <summary>The caller may not do this (HTTP 403, gRPC PERMISSION_DENIED).</summary>
public sealed class ForbiddenRefusal(string detail) : ShopRefusal("Forbidden", detail);

/// <summary>No such resource, or none the caller may see (HTTP 404, gRPC NOT_FOUND); a domain may name its own kinds.</summary>
public sealed class NotFoundRefusal(string detail, string title = "Not Found", IReadOnlyDictionary<string, object?>? facts = null)
    : ShopRefusal(title, detail, facts);

/// <summary>The resource's state forbids the request now (HTTP 409, gRPC ABORTED); a domain may name its own kinds.</summary>
public class ConflictRefusal(string detail, string title = "Conflict", IReadOnlyDictionary<string, object?>? facts = null)
    : ShopRefusal(title, detail, facts)
{
    /// <summary>
    /// The title of a checkout refused because its total is not the one the customer was shown: order-api's (facts
    /// <c>total</c>, <c>currency</c>), which basket-api recognises by it and words as its cart's (<c>subtotal</c>).
    /// </summary>
    public const string PricesChangedTitle = "Prices Changed";
}

/// <summary>The resource already exists (HTTP 409, gRPC ALREADY_EXISTS).</summary>
public sealed class DuplicateRefusal(string title, string detail) : ShopRefusal(title, detail);

/// <summary>The caller's copy is older than the stored one (HTTP 412 for If-Match, gRPC ABORTED).</summary>
public sealed class StaleVersionRefusal(string detail) : ShopRefusal("Stale version", detail);

/// <summary>Well-formed, but the request names things that make it impossible (HTTP 422, gRPC FAILED_PRECONDITION).</summary>
public sealed class UnprocessableRefusal(string title, string detail, IReadOnlyDictionary<string, object?>? facts = null)
    : ShopRefusal(title, detail, facts);

/// <summary>The payment was declined (HTTP 402, gRPC FAILED_PRECONDITION).</summary>
public sealed class PaymentDeclinedRefusal(string detail, IReadOnlyDictionary<string, object?>? facts = null)
    : ShopRefusal("Payment Declined", detail, facts);

/// <summary>Too many attempts; <see cref="ShopRefusal.RetryAfter"/> says when (HTTP 429, gRPC RESOURCE_EXHAUSTED).</summary>
public sealed class ThrottledRefusal(string title, string detail) : ShopRefusal(title, detail);

/// <summary>A dependency or this service is briefly unable to answer (HTTP 503 + Retry-After, gRPC UNAVAILABLE).</summary>
public sealed class UnavailableRefusal(string detail, Exception? cause = null) : ShopRefusal("Service Unavailable", detail, cause: cause);
