using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Shop.BasketApi.Model;

/// <summary>
/// An anonymous cart's id: 128 random bits as unpadded base64url (22 characters). It is the cart's only credential,
/// so it is never derived from anything a client could guess.
/// </summary>
public readonly record struct CartId
{
    public const int Length = 22;
    private const int Bytes = 16;

    private CartId(string value) => Value = value;

    public string Value { get; }

    public static CartId New() => new(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes)));

    /// <summary>Accepts exactly the 22-character base64url form <see cref="New"/> produces.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out CartId? cartId)
    {
        cartId = null;
        if (value is not { Length: Length } || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        Span<byte> decoded = stackalloc byte[Bytes + 2];
        if (!Base64Url.TryDecodeFromChars(value, decoded, out var written) || written != Bytes) return false;
        cartId = new CartId(value);
        return true;
    }

    public override string ToString() => Value;
}
