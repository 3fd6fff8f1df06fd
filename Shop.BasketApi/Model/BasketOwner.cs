namespace Shop.BasketApi.Model;

/// <summary>Whose cart: a signed-in shopper's (by user id, the token's <c>sub</c>) or an anonymous one (by cart id).</summary>
public abstract record BasketOwner
{
    public sealed record Shopper(Guid UserId) : BasketOwner;

    public sealed record Anonymous(CartId CartId) : BasketOwner;
}
