using Shop.Benchmarks.Mix;

namespace Shop.Tests.Bench;

/// <summary>The mix's operations come in their weights' proportions in every window, so a short run hits every one.</summary>
public sealed class WeightedRoundRobinTests
{
    [Fact]
    public void Every_window_of_the_total_weight_holds_each_operation_its_weight_s_times()
    {
        var weights = new Dictionary<string, int> { ["page-catalog"] = 10, ["page-product"] = 10, ["page-search"] = 5, ["page-cart"] = 3, ["off"] = 0 };
        var picker = new WeightedRoundRobin(weights);

        var picks = Enumerable.Range(0, 28 * 3).Select(_ => picker.Next()).ToList();

        for (var start = 0; start + 28 <= picks.Count; start++)
        {
            var counts = picks.Skip(start).Take(28).CountBy(p => p).ToDictionary();
            Assert.Equal(weights.Where(w => w.Value > 0).ToDictionary(), counts);
        }
    }

    [Fact]
    public void Equal_weights_take_turns_and_a_heavy_operation_is_spread_out()
    {
        var even = new WeightedRoundRobin(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 });
        var skewed = new WeightedRoundRobin(new Dictionary<string, int> { ["heavy"] = 3, ["light"] = 1 });

        Assert.Equal(["a", "b", "c", "a", "b", "c"], Enumerable.Range(0, 6).Select(_ => even.Next()));
        Assert.Equal(["heavy", "heavy", "light", "heavy"], Enumerable.Range(0, 4).Select(_ => skewed.Next()));
    }

    [Fact]
    public void A_mix_without_a_positive_weight_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new WeightedRoundRobin(new Dictionary<string, int> { ["a"] = 0 }));
    }
}
