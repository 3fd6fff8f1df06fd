namespace Shop.BasketApi.Model;

/// <summary>A value breaks a cart rule; <see cref="Field"/> is the request field (JSON name) at fault.</summary>
public sealed class BasketRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>No product with this id exists in the catalog.</summary>
public sealed class UnknownProductException(Guid productId) : Exception($"No product {productId} exists.")
{
    public Guid ProductId { get; } = productId;
}

/// <summary>Checkout of a cart without lines.</summary>
public sealed class EmptyBasketException() : Exception("The basket is empty.");

/// <summary>A service the cart depends on (product-api, order-api) did not answer; worth a retry after <see cref="RetryAfter"/>.</summary>
public sealed class DependencyUnavailableException(string service, TimeSpan retryAfter, Exception? inner = null)
    : Exception($"The {service} service is unavailable.", inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
