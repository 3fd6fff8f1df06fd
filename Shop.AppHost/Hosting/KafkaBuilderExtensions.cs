using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Hosting;

public static class KafkaBuilderExtensions
{
    public const string StopCommandName = "kafka-stop";
    public const string StartCommandName = "kafka-start";

    /// <summary>
    /// Adds run-mode Kafka: the embedded broker (librdkafka's mock cluster in this process), or the external cluster
    /// named by "ConnectionStrings:{name}". Topics declared with <see cref="WithTopic{T}"/> are created at start.
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> AddEmbeddedKafka(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = new KafkaServerResource(name);
        builder.Services.TryAddSingleton<EmbeddedKafkaClusters>();

        var external = builder.Configuration.GetConnectionString(name);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, () =>
            external is not null || kafka.Cluster?.IsUp == true
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The embedded broker is down."));

        builder.Eventing.Subscribe<InitializeResourceEvent>(kafka, async (@event, cancellationToken) =>
        {
            await @event.Eventing.PublishAsync(new BeforeResourceStartedEvent(kafka, @event.Services), cancellationToken);
            try
            {
                var bootstrap = external ?? StartEmbedded(kafka, @event.Services, @event.Logger);
                kafka.SetBootstrapServers(bootstrap);
                await @event.Eventing.PublishAsync(new ConnectionStringAvailableEvent(kafka, @event.Services), cancellationToken);
                await @event.Notifications.PublishUpdateAsync(kafka, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                    Properties = [.. state.Properties, new("kafka.bootstrap", bootstrap), new("kafka.mode", external is null ? "embedded (librdkafka mock cluster)" : "external")],
                });
            }
            catch (Exception ex)
            {
                kafka.Fail(ex);
                @event.Logger.LogError(ex, "Kafka could not start");
                await @event.Notifications.PublishUpdateAsync(kafka, state => state with { State = KnownResourceStates.FailedToStart });
            }
        });

        return builder.AddResource(kafka)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Kafka",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("ArrowSwap")
            .WithCommand(StopCommandName, "Stop broker", context => SetBrokersAsync(kafka, context, up: false), new CommandOptions
            {
                IconName = "Stop",
                Description = "Takes the embedded broker down: connections are dropped and refused until it is started.",
                UpdateState = context => kafka.Cluster?.IsUp == true ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            })
            .WithCommand(StartCommandName, "Start broker", context => SetBrokersAsync(kafka, context, up: true), new CommandOptions
            {
                IconName = "Play",
                UpdateState = context => kafka.Cluster is { IsUp: false } ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            });
    }

    /// <summary>Declares a topic: created by the embedded broker at start, expected on any other cluster.</summary>
    public static IResourceBuilder<T> WithTopic<T>(this IResourceBuilder<T> builder, string name, int partitions = 1)
        where T : IResourceWithConnectionString =>
        builder.WithAnnotation(new KafkaTopicAnnotation(name, partitions));

    private static string StartEmbedded(KafkaServerResource kafka, IServiceProvider services, ILogger logger)
    {
        var cluster = new EmbeddedKafkaCluster(brokerCount: 1, logger);
        // The cluster lives as long as the AppHost's service provider: disposed with it on a normal stop.
        services.GetRequiredService<EmbeddedKafkaClusters>().Track(cluster);
        kafka.Cluster = cluster;
        foreach (var topic in kafka.Annotations.OfType<KafkaTopicAnnotation>())
        {
            cluster.CreateTopic(topic.Name, topic.Partitions);
        }
        logger.LogInformation("Embedded Kafka broker listening on {Bootstrap}; topics: {Topics}", cluster.BootstrapServers,
            string.Join(", ", kafka.Annotations.OfType<KafkaTopicAnnotation>().Select(t => $"{t.Name} ({t.Partitions} partitions)")));
        return cluster.BootstrapServers;
    }

    private static async Task<ExecuteCommandResult> SetBrokersAsync(KafkaServerResource kafka, ExecuteCommandContext context, bool up)
    {
        if (kafka.Cluster is not { } cluster)
        {
            return CommandResults.Failure("Only the embedded broker can be stopped and started.");
        }
        cluster.SetUp(up);
        var services = context.Services;
        services.GetRequiredService<ResourceLoggerService>().GetLogger(kafka).LogInformation("Broker {State}", up ? "started" : "stopped");
        await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(kafka, state => state with
        {
            State = up ? KnownResourceStates.Running : new ResourceStateSnapshot("Broker down", KnownResourceStateStyles.Warn),
        });
        return CommandResults.Success();
    }
}

/// <summary>Disposes the embedded clusters when the AppHost's services are disposed.</summary>
internal sealed class EmbeddedKafkaClusters : IDisposable
{
    private readonly List<EmbeddedKafkaCluster> _clusters = [];

    public void Track(EmbeddedKafkaCluster cluster)
    {
        lock (_clusters) _clusters.Add(cluster);
    }

    public void Dispose()
    {
        lock (_clusters)
        {
            foreach (var cluster in _clusters) cluster.Dispose();
            _clusters.Clear();
        }
    }
}
