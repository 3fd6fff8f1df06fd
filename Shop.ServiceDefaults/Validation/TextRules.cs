using System.Buffers;

namespace Shop.ServiceDefaults.Validation;

/// <summary>
/// Which characters a text field may hold, for every service. Refused everywhere: C0 controls (U+0000–U+001F), DEL
/// (U+007F) and C1 controls (U+0080–U+009F), because PostgreSQL rejects U+0000 in text ("invalid byte sequence for
/// encoding UTF8: 0x00", SQLSTATE 22021) and the others forge log lines and terminal output; and unpaired UTF-16
/// surrogates, which have no UTF-8 encoding. Multi-line fields (descriptions) may also hold tab, LF and CR.
/// Lengths are counted in UTF-16 code units (string.Length), as the database's varchar(n) limits are checked here.
/// </summary>
public static class TextRules
{
    public const string ForbiddenCharactersMessage = "Must not contain control characters or unpaired surrogates.";

    private static readonly SearchValues<char> SingleLineSuspects = SearchValues.Create(Suspects(allowLineBreaks: false));
    private static readonly SearchValues<char> MultiLineSuspects = SearchValues.Create(Suspects(allowLineBreaks: true));

    /// <summary>True when <paramref name="text"/> has no forbidden character (an empty text is acceptable).</summary>
    public static bool IsAcceptable(ReadOnlySpan<char> text, bool multiline = false) => IndexOfForbidden(text, multiline) < 0;

    /// <summary>The UTF-16 index of the first forbidden character, or -1 when there is none.</summary>
    public static int IndexOfForbidden(ReadOnlySpan<char> text, bool multiline = false)
    {
        var suspects = multiline ? MultiLineSuspects : SingleLineSuspects;
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(suspects);
            if (found < 0) return -1;
            var index = offset + found;
            var c = text[index];
            if (!char.IsSurrogate(c)) return index;
            if (!char.IsHighSurrogate(c) || index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1])) return index;
            offset = index + 2;
        }
    }

    private static string Suspects(bool allowLineBreaks)
    {
        var chars = new List<char>();
        for (var c = '\u0000'; c <= '\u001F'; c++)
        {
            if (allowLineBreaks && c is '\t' or '\n' or '\r') continue;
            chars.Add(c);
        }
        for (var c = '\u007F'; c <= '\u009F'; c++) chars.Add(c);
        for (var c = '\uD800'; c <= '\uDFFF'; c++) chars.Add(c);
        return new string([.. chars]);
    }
}
