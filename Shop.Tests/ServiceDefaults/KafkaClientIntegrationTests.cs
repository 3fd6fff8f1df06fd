using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Kafka;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.ServiceDefaults;

[Collection(ShopCollection.Name)]
public sealed class KafkaClientIntegrationTests(ShopAppFixture fixture)
{
    [Fact]
    public void A_missing_connection_string_fails_with_a_message_naming_it()
    {
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddKafkaProducer<string, string>(ShopResources.Kafka));

        Assert.Contains("ConnectionStrings:kafka", error.Message);
    }

    [Fact]
    public async Task Producer_and_consumer_from_configuration_carry_the_trace_and_report_health()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{ShopResources.Kafka}"] = await fixture.GetConnectionStringAsync(ShopResources.Kafka);
        builder.Configuration["Aspire:Confluent:Kafka:Consumer:Config:AutoOffsetReset"] = "Earliest";
        builder.Services.AddHealthChecks();
        builder.AddKafkaProducer<string, string>(ShopResources.Kafka);
        builder.AddKafkaConsumer<string, string>(ShopResources.Kafka, settings => settings.Config.GroupId = $"defaults-test-{Guid.NewGuid():N}");
        using var host = builder.Build();
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();
        var topic = $"defaults-test-{Guid.NewGuid():N}";

        var headers = new Headers();
        using (var parentSpan = new System.Diagnostics.Activity("test-parent").Start())
        {
            KafkaTelemetry.Inject(parentSpan.Context, headers);
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v", Headers = headers });
        }
        consumer.Subscribe(topic);
        var received = consumer.Consume(TimeSpan.FromSeconds(30));
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        consumer.Close();

        Assert.NotNull(received);
        Assert.Equal("v", received.Message.Value);
        var parent = KafkaTelemetry.Extract(received.Message.Headers);
        Assert.Equal(headers.GetHeader("traceparent")!.Split('-')[1], parent.ActivityContext.TraceId.ToHexString());
        Assert.NotEqual(default, parent.ActivityContext.TraceId);
        Assert.Equal(HealthStatus.Healthy, health.Entries["kafka-producer-kafka"].Status);
        Assert.Equal(HealthStatus.Healthy, health.Entries["kafka-consumer-kafka"].Status);
    }

    [Fact]
    public async Task The_health_check_reuses_its_answer_for_ten_seconds_then_asks_the_cluster_again()
    {
        // No broker listens on port 1: every metadata request waits out the check's 2 s timeout.
        var time = new FakeTimeProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[$"ConnectionStrings:{ShopResources.Kafka}"] = "127.0.0.1:1";
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddHealthChecks();
        builder.AddKafkaProducer<string, string>(ShopResources.Kafka);
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        async Task<HealthReportEntry> CheckAsync() => (await health.CheckHealthAsync()).Entries["kafka-producer-kafka"];

        var asked = await CheckAsync();
        time.Advance(TimeSpan.FromSeconds(9)); // the answer is reused for 10 s
        var reused = await CheckAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var askedAgain = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, asked.Status);
        Assert.True(asked.Duration >= TimeSpan.FromSeconds(1.5), $"the first probe asked the cluster ({asked.Duration})");
        Assert.Equal((asked.Status, asked.Description), (reused.Status, reused.Description));
        Assert.True(reused.Duration < TimeSpan.FromSeconds(1), $"a probe within the window reuses the answer ({reused.Duration})");
        Assert.True(askedAgain.Duration >= TimeSpan.FromSeconds(1.5), $"a probe after the window asks again ({askedAgain.Duration})");
    }
}
