namespace Shop.Gateway.Proxy;

/// <summary>Edge settings bound from the "Gateway" section (reloadable through shop.settings.json).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body accepted at the edge; larger ones get 413 before reaching a service.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    public CorsSettings Cors { get; set; } = new();

    public sealed class CorsSettings
    {
        /// <summary>Browser origins allowed to call the API; empty = no cross-origin access.</summary>
        public string[] AllowedOrigins { get; set; } = [];
    }
}
