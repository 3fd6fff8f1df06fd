using System.Text.RegularExpressions;
using Shop.ServiceDefaults.Validation;

namespace Shop.Tests.ServiceDefaults;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("Ann Tester")]
    [InlineData("Zoë Ünal, 12 Rue de l'Église")]
    [InlineData("emoji 😀 pair")]
    [InlineData("CJK 東京都")]
    public void Ordinary_text_is_acceptable(string text)
    {
        Assert.True(TextRules.IsAcceptable(text));
        Assert.Equal(-1, TextRules.IndexOfForbidden(text));
    }

    // Written as escapes and decoded in the test: the test runner serialises theory data and would replace a lone surrogate.
    [Theory]
    [InlineData(@"a\u0000b", 1)]
    [InlineData(@"\u001Fx", 0)]
    [InlineData(@"tab\there", 3)]
    [InlineData(@"line\nbreak", 4)]
    [InlineData(@"del\u007F", 3)]
    [InlineData(@"c1 \u0085 next line", 3)]
    [InlineData(@"c1 \u009F", 3)]
    [InlineData(@"lone high \uD800 surrogate", 10)]
    [InlineData(@"lone low \uDC00", 9)]
    [InlineData(@"reversed \uDE00\uD83D", 9)]
    [InlineData(@"high at end \uD83D", 12)]
    [InlineData(@"😀 then \u0000", 8)]
    public void Controls_and_unpaired_surrogates_are_refused_in_single_line_text(string escaped, int index)
    {
        var text = Regex.Unescape(escaped);

        Assert.False(TextRules.IsAcceptable(text));
        Assert.Equal(index, TextRules.IndexOfForbidden(text));
    }

    [Fact]
    public void Multi_line_text_may_hold_tab_and_line_breaks_but_no_other_control()
    {
        Assert.True(TextRules.IsAcceptable("Line one\r\nline two\tindented", multiline: true));
        Assert.False(TextRules.IsAcceptable("Line one\r\nline \u0000two", multiline: true));
        Assert.False(TextRules.IsAcceptable("vertical\vtab", multiline: true));
        Assert.False(TextRules.IsAcceptable("\uD800", multiline: true));
    }

    [Fact]
    public void Field_errors_name_the_field_and_check_required_length_and_characters()
    {
        var errors = new FieldErrors();

        Assert.True(errors.CheckText("optional", null, 10));
        Assert.False(errors.CheckText("required", "  ", 10, required: true));
        Assert.False(errors.CheckText("shippingAddress.line1", "1 Main\u0000Street", 200, required: true));
        Assert.False(errors.CheckText("long", new string('x', 11), 10));
        Assert.True(errors.CheckText("exact", new string('x', 10), 10));
        errors.Add("long", "Another message.");

        Assert.Equal(["required", "shippingAddress.line1", "long"], errors.Keys);
        Assert.Equal([TextRules.ForbiddenCharactersMessage], errors["shippingAddress.line1"]);
        Assert.Equal(2, errors["long"].Length);
        Assert.True(errors.HasErrors);
    }
}
