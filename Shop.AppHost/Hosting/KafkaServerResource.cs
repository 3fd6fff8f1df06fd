namespace Shop.AppHost.Hosting;

/// <summary>
/// Run-mode Kafka: the embedded broker (librdkafka's mock cluster, in the AppHost process) or, when
/// "ConnectionStrings:{name}" is configured, that external cluster. The connection string is the bootstrap address;
/// it completes once the cluster is up. Publish mode uses <see cref="KafkaContainerResource"/> instead.
/// </summary>
public sealed class KafkaServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    private readonly TaskCompletionSource<string> _bootstrap = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BootstrapReference? _bootstrapReference;

    internal EmbeddedKafkaCluster? Cluster { get; set; }

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{_bootstrapReference ??= new BootstrapReference(this)}");

    internal void SetBootstrapServers(string bootstrapServers) => _bootstrap.TrySetResult(bootstrapServers);

    internal void Fail(Exception exception) => _bootstrap.TrySetException(exception);

    private sealed class BootstrapReference(KafkaServerResource resource) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => $"{{{resource.Name}.connectionString}}";

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) =>
            await resource._bootstrap.Task.WaitAsync(cancellationToken);
    }
}
