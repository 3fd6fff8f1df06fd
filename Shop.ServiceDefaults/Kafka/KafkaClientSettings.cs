using Confluent.Kafka;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>What every Kafka client's settings hold: the bootstrap address, the health check switch and librdkafka's config.</summary>
public abstract class KafkaClientSettings<TConfig> where TConfig : ClientConfig, new()
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    public TConfig Config { get; } = new();
}

/// <summary>Settings of a Kafka producer, bound from "Aspire:Confluent:Kafka:Producer" (and "…:Producer:{name}").</summary>
public sealed class KafkaProducerSettings : KafkaClientSettings<ProducerConfig>;

/// <summary>Settings of a Kafka consumer, bound from "Aspire:Confluent:Kafka:Consumer" (and "…:Consumer:{name}").</summary>
public sealed class KafkaConsumerSettings : KafkaClientSettings<ConsumerConfig>;
