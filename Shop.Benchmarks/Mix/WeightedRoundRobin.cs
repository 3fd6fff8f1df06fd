namespace Shop.Benchmarks.Mix;

/// <summary>
/// Picks the mix's operations in proportion to their weights, exactly rather than by chance: nginx's smooth weighted
/// round-robin, so every run of (sum of weights) consecutive picks holds each operation as many times as its weight,
/// spread out rather than bunched. A random draw would leave a light operation out of a short run now and then.
/// </summary>
public sealed class WeightedRoundRobin
{
    private readonly KeyValuePair<string, int>[] operations;
    private readonly int[] current;
    private readonly int totalWeight;

    /// <param name="weights">Operation names and their weights; those of weight 0 or less are never picked.</param>
    /// <exception cref="ArgumentException">No operation has a positive weight.</exception>
    public WeightedRoundRobin(IReadOnlyDictionary<string, int> weights)
    {
        operations = [.. weights.Where(w => w.Value > 0)];
        if (operations.Length == 0) throw new ArgumentException("At least one operation needs a positive weight.", nameof(weights));
        current = new int[operations.Length];
        totalWeight = operations.Sum(o => o.Value);
    }

    /// <summary>The next operation's name. Not thread-safe: one picker per schedule.</summary>
    public string Next()
    {
        var best = 0;
        for (var i = 0; i < operations.Length; i++)
        {
            current[i] += operations[i].Value;
            if (current[i] > current[best]) best = i;
        }
        current[best] -= totalWeight;
        return operations[best].Key;
    }
}
