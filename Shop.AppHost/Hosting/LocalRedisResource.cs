namespace Shop.AppHost.Hosting;

/// <summary>A Redis server run by DCP as a local <c>redis-server</c> process, bound to loopback, nothing persisted.</summary>
public sealed class LocalRedisResource(string name) : ExecutableResource(name, "redis-server", AppContext.BaseDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
