using Confluent.Kafka;

namespace Shop.ServiceDefaults.Kafka;

/// <summary>Settings of a Kafka producer, bound from "Aspire:Confluent:Kafka:Producer" (and "…:Producer:{name}").</summary>
public sealed class KafkaProducerSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    public ProducerConfig Config { get; } = new();
}

/// <summary>Settings of a Kafka consumer, bound from "Aspire:Confluent:Kafka:Consumer" (and "…:Consumer:{name}").</summary>
public sealed class KafkaConsumerSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    public ConsumerConfig Config { get; } = new();
}
