namespace Shop.ServiceDefaults.Validation;

/// <summary>
/// Field errors of one request, keyed by the JSON or query name of the field (camelCase, nested as
/// <c>shippingAddress.line1</c>, indexed as <c>items[0].quantity</c>): the RFC 7807 <c>errors</c> member of a
/// ValidationProblem (400). Each check adds at most one message per call and returns whether the value passed.
/// </summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors() : base(StringComparer.Ordinal)
    {
    }

    public bool HasErrors => Count > 0;

    /// <summary>The errors of a request with one wrong field.</summary>
    public static FieldErrors Single(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return errors;
    }

    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>
    /// A text field: when <paramref name="required"/>, present and not blank; at most <paramref name="maxLength"/>
    /// UTF-16 code units; only characters <see cref="TextRules"/> allows. A missing optional value passes.
    /// </summary>
    public bool CheckText(string field, string? value, int maxLength, bool required = false, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "Required.");
                return false;
            }
            return CheckCharacters(field, value, multiline);
        }
        if (!CheckCharacters(field, value, multiline)) return false;
        if (value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
            return false;
        }
        return true;
    }

    /// <summary>
    /// An amount of money in a currency with cents (ISO 4217 minor unit 2): not negative, at most 2 decimal places, and
    /// at most <paramref name="max"/> when given. A missing value passes unless <paramref name="required"/>.
    /// </summary>
    public bool CheckAmount(string field, decimal? amount, decimal? max = null, bool required = false)
    {
        var message = amount switch
        {
            null => required ? "Required." : null,
            < 0 => "Must not be negative.",
            _ when amount > max => $"At most {max}.",
            _ when amount.Value != decimal.Round(amount.Value, 2) => "At most 2 decimal places.",
            _ => null,
        };
        if (message is null) return true;
        Add(field, message);
        return false;
    }

    /// <summary>
    /// A currency: an ISO 4217 alphabetic code, three capital letters such as EUR. A missing value passes unless
    /// <paramref name="required"/> (then a blank one is missing too).
    /// </summary>
    public bool CheckCurrency(string field, string? currency, bool required = false)
    {
        var message = currency switch
        {
            null => required ? "Required." : null,
            _ when required && string.IsNullOrWhiteSpace(currency) => "Required.",
            { Length: 3 } when currency.All(char.IsAsciiLetterUpper) => null,
            _ => "An ISO 4217 code such as EUR.",
        };
        if (message is null) return true;
        Add(field, message);
        return false;
    }

    /// <summary>Only the character rules of <see cref="TextRules"/>; for fields whose other rules are checked elsewhere.</summary>
    public bool CheckCharacters(string field, string? value, bool multiline = false)
    {
        if (value is null || TextRules.IsAcceptable(value, multiline)) return true;
        Add(field, TextRules.ForbiddenCharactersMessage);
        return false;
    }
}
