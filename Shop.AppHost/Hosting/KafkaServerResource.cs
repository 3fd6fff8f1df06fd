namespace Shop.AppHost.Hosting;

/// <summary>
/// Kafka for Shop. In run mode: the embedded broker (librdkafka's mock cluster, in the AppHost process) or, when
/// "ConnectionStrings:{name}" is configured, that external cluster. In publish mode: a Kafka container.
/// The connection string is the bootstrap address; it completes once the cluster is up.
/// </summary>
public sealed class KafkaServerResource(string name) : Resource(name), IResourceWithConnectionString, IResourceWithEndpoints
{
    internal const string PrimaryEndpointName = "tcp";

    private readonly TaskCompletionSource<string> _bootstrap = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BootstrapReference? _bootstrapReference;

    internal EmbeddedKafkaCluster? Cluster { get; set; }

    /// <summary>True in publish mode, where the address comes from the container's endpoint.</summary>
    internal bool IsContainer { get; set; }

    public ReferenceExpression ConnectionStringExpression => IsContainer
        ? ReferenceExpression.Create($"{new EndpointReference(this, PrimaryEndpointName).Property(EndpointProperty.HostAndPort)}")
        : ReferenceExpression.Create($"{_bootstrapReference ??= new BootstrapReference(this)}");

    internal void SetBootstrapServers(string bootstrapServers) => _bootstrap.TrySetResult(bootstrapServers);

    internal void Fail(Exception exception) => _bootstrap.TrySetException(exception);

    private sealed class BootstrapReference(KafkaServerResource resource) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => $"{{{resource.Name}.connectionString}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
            await resource._bootstrap.Task.WaitAsync(cancellationToken);
    }
}
