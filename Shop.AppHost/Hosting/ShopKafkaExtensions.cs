namespace Shop.AppHost.Hosting;

public static class ShopKafkaExtensions
{
    private const int BrokerPort = 9092;
    private const string ImageRegistry = "docker.io";
    private const string Image = "confluentinc/confluent-local";
    private const string ImageTag = "7.9.0";

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
    /// the broker advertises for that listener.
    /// </summary>
    public static IResourceBuilder<KafkaContainerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = new KafkaContainerResource(name);
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
            });
    }
}
