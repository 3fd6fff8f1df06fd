namespace Shop.ServiceDefaults.Shutdown;

public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>How long in-flight requests and consumers get to finish after SIGTERM.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
