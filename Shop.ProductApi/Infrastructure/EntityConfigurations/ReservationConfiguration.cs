using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Infrastructure.EntityConfigurations;

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> builder)
    {
        builder.ToTable("reservations");
        builder.HasKey(r => r.OrderId);
        builder.Property(r => r.OrderId).HasColumnName("order_id").ValueGeneratedNever();
        builder.Property(r => r.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Shortages).HasColumnName("shortages").HasColumnType("jsonb")
            .HasConversion(
                shortages => shortages == null ? null : JsonSerializer.Serialize(shortages, JsonSerializerOptions.Web),
                json => json == null ? null : JsonSerializer.Deserialize<List<StockShortage>>(json, JsonSerializerOptions.Web),
                new ValueComparer<List<StockShortage>?>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    list => list == null ? 0 : list.Count,
                    list => list == null ? null : list.ToList()));
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.ReleasedAt).HasColumnName("released_at");
        builder.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReservationLineConfiguration : IEntityTypeConfiguration<ReservationLine>
{
    public void Configure(EntityTypeBuilder<ReservationLine> builder)
    {
        // No foreign key to products: a reservation is history and outlives a deleted product.
        builder.ToTable("reservation_lines", table => table.HasCheckConstraint("ck_reservation_lines_quantity_positive", "quantity > 0"));
        builder.HasKey(l => new { l.OrderId, l.ProductId });
        builder.Property(l => l.OrderId).HasColumnName("order_id");
        builder.Property(l => l.ProductId).HasColumnName("product_id");
        builder.Property(l => l.Quantity).HasColumnName("quantity");
    }
}
