using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Hosting;

public static class ShopKafkaExtensions
{
    private const int BrokerPort = 9092;
    private const string ImageRegistry = "docker.io";
    private const string Image = "confluentinc/confluent-local";
    private const string ImageTag = "7.9.0";
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kafka for this run: in run mode the embedded broker (<see cref="KafkaBuilderExtensions.AddEmbeddedKafka"/>),
    /// in publish mode a broker container.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddShopKafka(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddKafkaContainer(name)
            : builder.AddEmbeddedKafka(name);

    /// <summary>
    /// A single-node KRaft broker (confluent-local). Clients reach it on the "tcp" endpoint, which is also the address
    /// the broker advertises for that listener. As Aspire's own AddKafka does, an AppHost that runs the container
    /// checks the broker's health ("{name}_check": the cluster metadata answers within 5 s) and dependants wait for
    /// it; once healthy, the AppHost creates the topics declared with <see cref="KafkaBuilderExtensions.WithTopic{T}"/>
    /// with their partition counts. A deployment from the manifest has no AppHost at run time, hence neither: there
    /// the broker creates a topic when it is first used, with as many partitions as the largest declared topic
    /// (KAFKA_NUM_PARTITIONS), and the services' own Kafka health checks report the broker.
    /// </summary>
    public static IResourceBuilder<KafkaContainerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = new KafkaContainerResource(name);
        string? bootstrap = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, cancellationToken) =>
            bootstrap = await kafka.ConnectionStringExpression.GetValueAsync(cancellationToken));
        builder.Eventing.Subscribe<ResourceReadyEvent>(kafka, (@event, cancellationToken) =>
            CreateTopicsAsync(kafka, bootstrap, @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(kafka)));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new BrokerMetadataHealthCheck(() => bootstrap), failureStatus: default, tags: default));

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: BrokerPort, name: KafkaContainerResource.PrimaryEndpointName, scheme: "tcp")
            .WithImage(Image, ImageTag)
            .WithImageRegistry(ImageRegistry)
            .WithEnvironment(context =>
            {
                // The image's own listeners (PLAINTEXT and CONTROLLER on localhost), with the client listener moved to
                // every interface on the endpoint's port.
                context.EnvironmentVariables["KAFKA_LISTENERS"] =
                    $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{BrokerPort}";
                context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = ReferenceExpression.Create(
                    $"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{kafka.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
                context.EnvironmentVariables["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] = "true";
                context.EnvironmentVariables["KAFKA_NUM_PARTITIONS"] =
                    kafka.Annotations.OfType<KafkaTopicAnnotation>().Select(t => t.Partitions).DefaultIfEmpty(1).Max().ToString(System.Globalization.CultureInfo.InvariantCulture);
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task CreateTopicsAsync(KafkaContainerResource kafka, string? bootstrap, ILogger logger)
    {
        var topics = kafka.Annotations.OfType<KafkaTopicAnnotation>()
            .Select(t => new TopicSpecification { Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = 1 })
            .ToList();
        if (topics.Count == 0 || bootstrap is null) return;
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        try
        {
            await admin.CreateTopicsAsync(topics, new CreateTopicsOptions { RequestTimeout = AdminTimeout });
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // A broker that kept its data volume already has them.
        }
        logger.LogInformation("Kafka topics: {Topics}", string.Join(", ", topics.Select(t => $"{t.Name} ({t.NumPartitions} partitions)")));
    }

    /// <summary>Healthy when the broker answers a metadata request (what a client needs first).</summary>
    private sealed class BrokerMetadataHealthCheck(Func<string?> bootstrap) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.Run(() =>
            {
                if (bootstrap() is not { } servers) return HealthCheckResult.Unhealthy("The broker's address is not known yet.");
                try
                {
                    using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).Build();
                    return admin.GetMetadata(AdminTimeout).Brokers.Count > 0
                        ? HealthCheckResult.Healthy()
                        : HealthCheckResult.Unhealthy("No Kafka broker answered.");
                }
                catch (KafkaException ex)
                {
                    return HealthCheckResult.Unhealthy($"Kafka unreachable: {ex.Error.Reason}");
                }
            }, cancellationToken);
    }
}
