using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<IdempotencyClaim> IdempotencyClaims => Set<IdempotencyClaim>();
    public DbSet<StockReleaseRetry> StockReleaseRetries => Set<StockReleaseRetry>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<ProviderLedgerEntry> ProviderLedger => Set<ProviderLedgerEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OrdersDbContext).Assembly);
}
