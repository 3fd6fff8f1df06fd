using Microsoft.Extensions.Logging;

namespace Shop.Tests.Infrastructure;

public sealed class ServiceFailureLogTests
{
    // As Aspire's ResourceLoggerForwarderService logs a resource's console line.
    private static void Forward(ILogger logger, int number, string content) =>
        logger.LogInformation("{LineNumber}: {LineContent}", number, content);

    [Fact]
    public void An_error_entry_is_kept_with_its_indented_lines_without_timestamps_or_colour_codes()
    {
        var log = new ServiceFailureLog();
        var orderApi = log.CreateLogger(ServiceFailureLog.ResourceCategoryPrefix + "order-api");
        var since = DateTime.UtcNow.AddSeconds(-1);

        Forward(orderApi, 1, "\u001b[40m\u001b[32minfo\u001b[39m\u001b[22m\u001b[49m: Microsoft.Hosting.Lifetime[0]");
        Forward(orderApi, 2, "      Now listening on: http://localhost:5000");
        Forward(orderApi, 3, "2026-12-03T21:08:02.7370000Z \u001b[41m\u001b[30mfail\u001b[39m\u001b[22m\u001b[49m: Shop.ServiceDefaults.Http.ShopExceptionHandler[0]");
        Forward(orderApi, 4, "2026-12-03T21:08:02.7370000Z       Unhandled exception answering GET /api/orders");
        Forward(orderApi, 5, "      System.InvalidCastException: Unable to cast");
        Forward(orderApi, 6, "warn: Something[0]");
        Forward(orderApi, 7, "      Not part of the error");

        var entry = Assert.Single(log.Since(since));
        Assert.Equal("""
            [order-api] fail: Shop.ServiceDefaults.Http.ShopExceptionHandler[0]
                  Unhandled exception answering GET /api/orders
                  System.InvalidCastException: Unable to cast
            """, entry);
        Assert.Single(log.Since(since, "Unhandled exception"));
        Assert.Empty(log.Since(since, "Not part"));
        Assert.Empty(log.Since(DateTime.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public void Lines_of_other_categories_and_other_resources_do_not_join_an_entry()
    {
        var log = new ServiceFailureLog();
        var userApi = log.CreateLogger(ServiceFailureLog.ResourceCategoryPrefix + "user-api");
        var gateway = log.CreateLogger(ServiceFailureLog.ResourceCategoryPrefix + "gateway");
        var host = log.CreateLogger("Aspire.Hosting.Dcp");

        Forward(userApi, 1, "crit: Microsoft.Hosting.Lifetime[0]");
        Forward(gateway, 1, "      a gateway line");
        Forward(host, 1, "fail: not a resource's line");
        Forward(userApi, 2, "      the user-api line");

        Assert.Equal("""
            [user-api] crit: Microsoft.Hosting.Lifetime[0]
                  the user-api line
            """, Assert.Single(log.Since(DateTime.MinValue)));
    }
}
