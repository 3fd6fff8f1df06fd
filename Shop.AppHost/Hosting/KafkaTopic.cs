namespace Shop.AppHost.Hosting;

/// <summary>A topic the embedded broker creates at start (and a real cluster is expected to have).</summary>
public sealed record KafkaTopicAnnotation(string Name, int Partitions) : IResourceAnnotation;
