using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.OrderApi.Infrastructure;

/// <summary>For `dotnet ef migrations add` only: the model, without the app's Aspire/Kafka wiring.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<OrderingDbContext>
{
    public OrderingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrderingDbContext>().UseNpgsql("Host=localhost;Database=ordersdb").Options);
}
