namespace Shop.WebApp.Services;

/// <summary>Card numbers as shoppers type them.</summary>
public static class CardNumbers
{
    /// <summary>
    /// The digits of <paramref name="typed"/> ("4242 4242 4242 4242" or "4242-4242-…" gives "4242424242424242"):
    /// order-api's rule (12–19 digits) takes digits only, and shoppers copy numbers with spaces. Null gives "".
    /// </summary>
    public static string Digits(string? typed) => new([.. (typed ?? "").Where(char.IsAsciiDigit)]);
}
