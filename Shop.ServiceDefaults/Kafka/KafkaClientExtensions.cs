using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Kafka client integration with the names and behaviour of Aspire.Confluent.Kafka (not available here):
/// connection string "ConnectionStrings:{name}", settings from "Aspire:Confluent:Kafka:Producer|Consumer",
/// a health check, logging through ILogger and trace propagation via <see cref="KafkaTelemetry"/>.
/// </summary>
public static class KafkaClientExtensions
{
    private const string ProducerSection = "Aspire:Confluent:Kafka:Producer";
    private const string ConsumerSection = "Aspire:Confluent:Kafka:Consumer";

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = new KafkaProducerSettings();
        BindSettings(builder.Configuration, ProducerSection, connectionName, settings.Config, out var disableHealthChecks);
        settings.DisableHealthChecks = disableHealthChecks;
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = ResolveBootstrap(settings.ConnectionString, settings.Config.BootstrapServers, connectionName, ProducerSection);

        builder.Services.AddSingleton(sp =>
        {
            var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Kafka.Producer");
            producerBuilder.SetLogHandler((_, message) => Log(logger, message));
            producerBuilder.SetErrorHandler((_, error) => logger.LogWarning("Kafka producer error {Code}: {Reason}", error.Code, error.Reason));
            configureBuilder?.Invoke(sp, producerBuilder);
            return producerBuilder.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-producer-{connectionName}",
                sp => new KafkaHealthCheck(() => sp.GetRequiredService<IProducer<TKey, TValue>>().Handle),
                // Writers queue in their outbox while Kafka is away: the service still serves, impaired.
                HealthStatus.Degraded,
                [HealthTags.Ready]));
        }
    }

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = new KafkaConsumerSettings();
        BindSettings(builder.Configuration, ConsumerSection, connectionName, settings.Config, out var disableHealthChecks);
        settings.DisableHealthChecks = disableHealthChecks;
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = ResolveBootstrap(settings.ConnectionString, settings.Config.BootstrapServers, connectionName, ConsumerSection);
        if (string.IsNullOrEmpty(settings.Config.GroupId))
        {
            throw new InvalidOperationException(
                $"Kafka consumer '{connectionName}' needs a group id: set '{ConsumerSection}:Config:GroupId' or configure it in code.");
        }

        builder.Services.AddSingleton(sp =>
        {
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(settings.Config);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Kafka.Consumer");
            consumerBuilder.SetLogHandler((_, message) => Log(logger, message));
            consumerBuilder.SetErrorHandler((_, error) => logger.LogWarning("Kafka consumer error {Code}: {Reason}", error.Code, error.Reason));
            configureBuilder?.Invoke(sp, consumerBuilder);
            return consumerBuilder.Build();
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"kafka-consumer-{connectionName}",
                sp => new KafkaHealthCheck(() => sp.GetRequiredService<IConsumer<TKey, TValue>>().Handle),
                HealthStatus.Degraded,
                [HealthTags.Ready]));
        }
    }

    private static void BindSettings(IConfiguration configuration, string sectionName, string connectionName,
        ClientConfig config, out bool disableHealthChecks)
    {
        var general = configuration.GetSection(sectionName);
        var named = general.GetSection(connectionName);
        disableHealthChecks = named.GetValue<bool?>("DisableHealthChecks") ?? general.GetValue<bool>("DisableHealthChecks");
        foreach (var section in new[] { general.GetSection("Config"), named.GetSection("Config") })
        {
            section.Bind(config);
        }
    }

    private static string ResolveBootstrap(string? connectionString, string? configured, string connectionName, string sectionName)
    {
        var bootstrap = string.IsNullOrWhiteSpace(connectionString) ? configured : connectionString;
        if (string.IsNullOrWhiteSpace(bootstrap) && Shop.ServiceDefaults.OpenApi.BuildTimeDocumentRun.IsActive)
        {
            return "localhost:9092"; // the build's OpenAPI document run starts no consumer and sends nothing
        }
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            throw new InvalidOperationException(
                $"Kafka client '{connectionName}' has no bootstrap servers: set 'ConnectionStrings:{connectionName}' " +
                $"(the AppHost does this through WithReference) or '{sectionName}:Config:BootstrapServers'.");
        }
        return bootstrap;
    }

    private static void Log(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "{KafkaClient} {Facility}: {Message}", message.Name, message.Facility, message.Message);
    }
}
