using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.Health;
using Shop.ServiceDefaults.Kafka;
using Shop.ServiceDefaults.OpenApi;

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
        Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaClient<KafkaProducerSettings, ProducerConfig, IProducer<TKey, TValue>>(builder, connectionName, ProducerSection,
            "Producer", configureSettings, validate: null, (services, settings, logger) =>
            {
                var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config)
                    .SetLogHandler((_, message) => Log(logger, message))
                    .SetErrorHandler((_, error) => LogError(logger, "producer", error));
                configureBuilder?.Invoke(services, producerBuilder);
                return producerBuilder.Build();
            });

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaClient<KafkaConsumerSettings, ConsumerConfig, IConsumer<TKey, TValue>>(builder, connectionName, ConsumerSection,
            "Consumer", configureSettings, ValidateGroupId, (services, settings, logger) =>
            {
                var consumerBuilder = new ConsumerBuilder<TKey, TValue>(settings.Config)
                    .SetLogHandler((_, message) => Log(logger, message))
                    .SetErrorHandler((_, error) => LogError(logger, "consumer", error));
                configureBuilder?.Invoke(services, consumerBuilder);
                return consumerBuilder.Build();
            });

    /// <summary>
    /// The body both clients share, as in Aspire.Confluent.Kafka: settings bound from the general and the named
    /// section, the connection string as bootstrap address, the client a singleton, and a health check that reports
    /// Degraded (writers queue in their outbox and readers resume where they stopped while Kafka is away: the
    /// service still serves, impaired).
    /// </summary>
    private static void AddKafkaClient<TSettings, TConfig, TClient>(IHostApplicationBuilder builder, string connectionName,
        string sectionName, string role, Action<TSettings>? configureSettings, Action<TSettings, string>? validate,
        Func<IServiceProvider, TSettings, ILogger, TClient> create)
        where TSettings : KafkaClientSettings<TConfig>, new()
        where TConfig : ClientConfig, new()
        where TClient : class, IClient
    {
        var settings = new TSettings();
        BindSettings(builder.Configuration, sectionName, connectionName, settings.Config, out var disableHealthChecks);
        settings.DisableHealthChecks = disableHealthChecks;
        settings.ConnectionString = builder.Configuration.GetConnectionString(connectionName);
        configureSettings?.Invoke(settings);
        settings.Config.BootstrapServers = ResolveBootstrap(settings.ConnectionString, settings.Config.BootstrapServers, connectionName, sectionName);
        validate?.Invoke(settings, connectionName);

        builder.Services.AddSingleton(services => create(services, settings,
            services.GetRequiredService<ILoggerFactory>().CreateLogger($"Shop.Kafka.{role}")));

        if (!settings.DisableHealthChecks)
        {
            // A singleton (the registration's factory runs at every probe): it keeps the answer it reuses.
            var name = $"kafka-{role.ToLowerInvariant()}-{connectionName}";
            builder.Services.AddKeyedSingleton(name, (services, _) => new KafkaHealthCheck(services.GetRequiredService<TClient>(),
                services.GetService<TimeProvider>() ?? TimeProvider.System));
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                name,
                services => services.GetRequiredKeyedService<KafkaHealthCheck>(name),
                HealthStatus.Degraded,
                [HealthTags.Ready]));
        }
    }

    private static void ValidateGroupId(KafkaConsumerSettings settings, string connectionName)
    {
        if (string.IsNullOrEmpty(settings.Config.GroupId))
        {
            throw new InvalidOperationException(
                $"Kafka consumer '{connectionName}' needs a group id: set '{ConsumerSection}:Config:GroupId' or configure it in code.");
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
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            // The build's OpenAPI generator has no broker and never creates a client.
            if (BuildTimeDocument.IsGenerating) return "unused:9092";

            throw new InvalidOperationException(
                $"Kafka client '{connectionName}' has no bootstrap servers: set 'ConnectionStrings:{connectionName}' " +
                $"(the AppHost does this through WithReference) or '{sectionName}:Config:BootstrapServers'.");
        }
        return bootstrap;
    }

    private static void LogError(ILogger logger, string client, Error error) =>
        logger.LogWarning("Kafka {Client} error {Code}: {Reason}", client, error.Code, error.Reason);

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
