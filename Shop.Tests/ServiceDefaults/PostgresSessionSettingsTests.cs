using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Shop.Tests.ServiceDefaults;

public class PostgresSessionSettingsTests
{
    [Fact]
    public void Pooled_connections_are_not_reset_and_prepare_hot_statements_and_the_rest_of_the_connection_string_is_kept()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresDbContextExtensions.WithShopSessionSettings(
            "Host=localhost;Port=5433;Username=postgres;Password=secret;Database=ordersdb;Maximum Pool Size=40")!);

        Assert.True(settings.NoResetOnClose);
        Assert.Equal(PostgresDbContextExtensions.MaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(("localhost", 5433, "ordersdb", "secret", 40),
            (settings.Host, settings.Port, settings.Database, settings.Password, settings.MaxPoolSize));
    }

    [Fact]
    public void A_service_s_server_settings_start_every_session_after_the_options_already_given()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresDbContextExtensions.WithShopSessionSettings(
            "Host=localhost;Database=productsdb;Options=-c statement_timeout=5000",
            new Dictionary<string, string> { ["pg_trgm.word_similarity_threshold"] = "0.4", ["random_page_cost"] = "1.1" })!);

        Assert.Equal("-c statement_timeout=5000 -c pg_trgm.word_similarity_threshold=0.4 -c random_page_cost=1.1", settings.Options);
        Assert.True(settings.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=localhost;Database=ordersdb", PostgresDbContextExtensions.MaxPoolSize)]
    [InlineData("Host=localhost;Database=ordersdb;Maximum Pool Size=100", 100)]
    [InlineData("Host=localhost;Database=ordersdb;Maximum Pool Size=3", 3)]
    [InlineData("Host=localhost;Database=ordersdb;maxpoolsize=12", 12)]
    [InlineData("Host=localhost;Database=ordersdb;Minimum Pool Size=10", 10)]
    public void The_pool_is_small_unless_the_connection_string_sizes_it(string connectionString, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresDbContextExtensions.WithShopSessionSettings(connectionString)!).MaxPoolSize);

    [Fact]
    public void A_missing_connection_string_stays_missing() =>
        Assert.Null(PostgresDbContextExtensions.WithShopSessionSettings(null));
}
