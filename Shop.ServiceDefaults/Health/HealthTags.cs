namespace Shop.ServiceDefaults.Health;

public static class HealthTags
{
    /// <summary>Checks that say whether the process itself works; <c>/alive</c> runs only these.</summary>
    public const string Live = "live";

    /// <summary>Checks of a dependency (database, cache, broker).</summary>
    public const string Ready = "ready";
}
