using System.Text.Json;
using Shop.Benchmarks.Infrastructure;

namespace Shop.Tests.Bench;

/// <summary>The generator's token handling: today's login answer (no refresh token) and one with a refresh token.</summary>
public sealed class TokenSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Todays_login_answer_has_no_refresh_token_and_is_renewed_by_expiry()
    {
        var grant = TokenGrant.Parse(JsonDocument.Parse("""{"accessToken":"a","tokenType":"Bearer","expiresIn":300}""").RootElement, Now);

        Assert.Equal("a", grant.AccessToken);
        Assert.Null(grant.RefreshToken);
        Assert.Equal(Now.AddMinutes(5), grant.ExpiresAt);
        Assert.False(grant.NeedsRenewal(Now.AddSeconds(239)));
        Assert.True(grant.NeedsRenewal(Now.AddSeconds(240)));
    }

    [Fact]
    public void A_refresh_token_is_kept_and_an_answer_without_expiry_never_renews()
    {
        var grant = TokenGrant.Parse(JsonDocument.Parse("""{"accessToken":"a","refreshToken":"r"}""").RootElement, Now);

        Assert.Equal("r", grant.RefreshToken);
        Assert.False(grant.NeedsRenewal(Now.AddDays(365)));
    }

    [Fact]
    public void An_answer_without_an_access_token_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => TokenGrant.Parse(JsonDocument.Parse("""{"expiresIn":300}""").RootElement, Now));
    }
}
