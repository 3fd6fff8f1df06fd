using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Infrastructure;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("orders");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.CustomerEmail).HasMaxLength(320);
        builder.Property(o => o.Total).HasPrecision(18, 2);
        builder.Property(o => o.PaymentReference).HasMaxLength(64);
        builder.Property(o => o.RefundReference).HasMaxLength(64);
        builder.Property(o => o.CancellationReason).HasMaxLength(200);
        builder.Property(o => o.Version).IsRowVersion();
        builder.OwnsOne(o => o.ShippingAddress, address =>
        {
            address.Property(a => a.Name).HasMaxLength(200);
            address.Property(a => a.Line1).HasMaxLength(200);
            address.Property(a => a.Line2).HasMaxLength(200);
            address.Property(a => a.City).HasMaxLength(200);
            address.Property(a => a.PostalCode).HasMaxLength(200);
            address.Property(a => a.Country).HasMaxLength(2);
        });
        builder.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Items).AutoInclude();
        builder.HasIndex(o => new { o.UserId, o.CreatedAt });
        builder.HasIndex(o => new { o.Status, o.CreatedAt });
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> builder)
    {
        builder.ToTable("order_items");
        builder.Property(i => i.Sku).HasMaxLength(64);
        builder.Property(i => i.ProductName).HasMaxLength(300);
        builder.Property(i => i.UnitPrice).HasPrecision(18, 2);
        builder.Ignore(i => i.LineTotal);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.Property(m => m.EventType).HasMaxLength(64);
        builder.HasIndex(m => m.EventId).IsUnique();
        // The relay reads the unsent tail only.
        builder.HasIndex(m => m.Id).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("IX_outbox_messages_unsent");
    }
}

internal sealed class IdempotencyClaimConfiguration : IEntityTypeConfiguration<IdempotencyClaim>
{
    public void Configure(EntityTypeBuilder<IdempotencyClaim> builder)
    {
        builder.ToTable("idempotency_claims");
        builder.HasKey(c => new { c.UserId, c.Key });
        builder.Property(c => c.Key).HasMaxLength(100);
        builder.Property(c => c.RequestHash).HasMaxLength(64);
        // Storing the order updates the claim on these: a claim the sweeper revoked can no longer store one.
        builder.Property(c => c.OrderId).IsConcurrencyToken();
        builder.Property(c => c.RevokedAt).IsConcurrencyToken();
        builder.HasIndex(c => c.LeaseExpiresAt).HasFilter("\"CompletedAt\" IS NULL").HasDatabaseName("IX_idempotency_claims_open");
    }
}

internal sealed class StockReleaseRetryConfiguration : IEntityTypeConfiguration<StockReleaseRetry>
{
    public void Configure(EntityTypeBuilder<StockReleaseRetry> builder)
    {
        builder.ToTable("stock_release_retries");
        builder.HasKey(r => r.OrderId);
    }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.ToTable("payments");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Amount).HasPrecision(18, 2);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.ProviderReference).HasMaxLength(64);
        builder.Property(p => p.DeclineReason).HasMaxLength(200);
        builder.Property(p => p.RefundReference).HasMaxLength(64);
        builder.Property(p => p.Version).IsRowVersion();
        builder.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.OrderId);
        // The reconciler reads the unsettled ones only.
        builder.HasIndex(p => p.UpdatedAt).HasFilter("\"Status\" IN ('Pending', 'RefundPending')").HasDatabaseName("IX_payments_unsettled");
    }
}

internal sealed class ProviderLedgerEntryConfiguration : IEntityTypeConfiguration<ProviderLedgerEntry>
{
    public void Configure(EntityTypeBuilder<ProviderLedgerEntry> builder)
    {
        builder.ToTable("simulated_provider_ledger");
        builder.HasKey(e => e.PaymentId);
        builder.Property(e => e.Amount).HasPrecision(18, 2);
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Status).HasMaxLength(16);
        builder.Property(e => e.Reference).HasMaxLength(64);
        builder.Property(e => e.DeclineReason).HasMaxLength(200);
        builder.Property(e => e.RefundReference).HasMaxLength(64);
    }
}
