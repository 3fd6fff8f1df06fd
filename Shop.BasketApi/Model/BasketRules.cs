namespace Shop.BasketApi.Model;

/// <summary>The order rules a cart follows (order-api's OrderValidation.ValidateCreate), so a cart can always be ordered.</summary>
public static class BasketRules
{
    public const int MaxLines = 50;
    public const int MinQuantity = 1;
    public const int MaxQuantity = 100;
}
