using Shop.BasketApi.Model;

namespace Shop.BasketApi.Infrastructure;

/// <summary>
/// How long an idle cart lives (section "Basket" of shop.settings.json, live-reloaded). The idle time slides on every
/// write. <see cref="SignedInIdle"/>/<see cref="AnonymousIdle"/> (TimeSpan) win over the whole days when set, so a
/// test can use seconds.
/// </summary>
public sealed class BasketOptions
{
    public const string SectionName = "Basket";

    public int SignedInIdleDays { get; set; } = 30;
    public int AnonymousIdleDays { get; set; } = 7;
    public TimeSpan? SignedInIdle { get; set; }
    public TimeSpan? AnonymousIdle { get; set; }

    public TimeSpan IdleTimeFor(BasketOwner owner) => owner switch
    {
        BasketOwner.Shopper => SignedInIdle ?? TimeSpan.FromDays(SignedInIdleDays),
        _ => AnonymousIdle ?? TimeSpan.FromDays(AnonymousIdleDays),
    };
}
