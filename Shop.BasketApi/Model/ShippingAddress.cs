namespace Shop.BasketApi.Model;

/// <summary>Where an order goes; the fields and rules of order-api's create order (it validates them).</summary>
public sealed record ShippingAddress(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);
