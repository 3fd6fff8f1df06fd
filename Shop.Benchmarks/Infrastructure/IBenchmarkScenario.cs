namespace Shop.Benchmarks.Infrastructure;

/// <summary>One benchmark: prints its figures (and ratios measured in the same run) to the output.</summary>
public interface IBenchmarkScenario
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(ShopApp app, TextWriter output, CancellationToken cancellationToken);
}
