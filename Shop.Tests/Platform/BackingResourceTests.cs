using Confluent.Kafka;
using Npgsql;
using Shop.ServiceDefaults.Configuration;
using Shop.Tests.Infrastructure;
using StackExchange.Redis;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class BackingResourceTests(ShopAppFixture fixture)
{
    [Theory]
    [InlineData(ShopResources.UsersDb)]
    [InlineData(ShopResources.ProductsDb)]
    [InlineData(ShopResources.OrdersDb)]
    [InlineData(ShopResources.NotificationsDb)]
    public async Task Each_database_answers_a_real_query_through_its_connection_string(string database)
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), 6 * 7", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(database, reader.GetString(0));
        Assert.Equal(42, reader.GetInt32(1));
    }

    [Fact]
    public async Task PostgreSQL_commits_durably_so_an_acknowledged_order_survives_a_crash()
    {
        await using var connection = new NpgsqlConnection(await fixture.GetConnectionStringAsync(ShopResources.OrdersDb));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('synchronous_commit'), current_setting('fsync')", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("on", reader.GetString(0));
        Assert.Equal("on", reader.GetString(1));
    }

    [Fact]
    public async Task Redis_stores_and_returns_a_value()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.GetConnectionStringAsync(ShopResources.Redis));
        var key = $"tests:{Guid.NewGuid()}";
        var db = redis.GetDatabase();

        Assert.True(await db.StringSetAsync(key, "hello", TimeSpan.FromMinutes(1)));
        Assert.Equal("hello", (string?)await db.StringGetAsync(key));
    }

    [Fact]
    public async Task Kafka_delivers_a_produced_message_to_a_consumer()
    {
        var bootstrap = await fixture.GetConnectionStringAsync(ShopResources.Kafka);
        var topic = $"platform-test-{Guid.NewGuid():N}";
        var payload = Guid.NewGuid().ToString();

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            var delivery = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = payload });
            Assert.Equal(PersistenceStatus.Persisted, delivery.Status);
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"platform-test-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        }).Build();
        consumer.Subscribe(topic);
        var result = consumer.Consume(TimeSpan.FromSeconds(30));
        consumer.Close();

        Assert.NotNull(result);
        Assert.Equal(payload, result.Message.Value);
    }

    [Fact]
    public async Task Declared_topics_exist_on_the_embedded_broker()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = await fixture.GetConnectionStringAsync(ShopResources.Kafka) }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));

        Assert.Equal(6, metadata.Topics.Single(t => t.Topic == ShopResources.OrdersTopic).Partitions.Count);
        Assert.Contains(metadata.Topics, t => t.Topic == ShopResources.OrdersDeadLetterTopic);
    }
}
