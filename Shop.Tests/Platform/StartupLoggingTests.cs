using Shop.Tests.Infrastructure;

namespace Shop.Tests.Platform;

[Collection(ShopCollection.Name)]
public sealed class StartupLoggingTests(ShopAppFixture fixture)
{
    [Fact]
    public void Migrating_a_fresh_database_logs_no_failed_command()
    {
        // The collection's app started on fresh databases (its own PostgreSQL data folder), so every service migrated
        // from nothing; a failed command would be an Error line in the dashboard on every first start.
        Assert.NotNull(fixture.App);
        var failed = ServiceFailureLog.Instance.Since(DateTime.MinValue, "__EFMigrationsHistory");
        Assert.True(failed.Count == 0, string.Join(Environment.NewLine, failed));
    }
}
