namespace Shop.BasketApi.Model;

/// <summary>
/// How a checkout pays: order-api's <c>payment</c> fields and rules (<c>method</c> "card", <c>cardNumber</c> 12–19
/// digits; order-api validates them and answers field errors under <c>payment.*</c>). Passed on, never stored here.
/// </summary>
public sealed record CardPayment(string? Method, string? CardNumber)
{
    // A record's ToString prints its members: a card number must not reach a log line, even by accident.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Method = ").Append(Method).Append(", CardNumber = (not shown)");
        return true;
    }
}
