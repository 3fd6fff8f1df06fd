using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Infrastructure.EntityConfigurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products", table => table.HasCheckConstraint("ck_products_stock_non_negative", "stock >= 0"));
        builder.Property(p => p.Id).HasColumnName("id");
        builder.Property(p => p.Sku).HasColumnName("sku").HasMaxLength(64);
        builder.HasIndex(p => p.Sku).IsUnique();
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(p => p.Description).HasColumnName("description").HasMaxLength(4000);
        builder.Property(p => p.CategoryId).HasColumnName("category_id");
        builder.HasOne(p => p.Category).WithMany().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Brand).HasColumnName("brand").HasMaxLength(100);
        builder.HasIndex(p => p.Brand);
        builder.Property(p => p.Price).HasColumnName("price").HasPrecision(12, 2);
        builder.HasIndex(p => p.Price);
        builder.Property(p => p.Currency).HasColumnName("currency").HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.Stock).HasColumnName("stock");
        builder.Property(p => p.ImageUrl).HasColumnName("image_url").HasMaxLength(2048);
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(p => p.CreatedAt);
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.Property(p => p.Version).IsRowVersion();

        builder.Property(p => p.SearchVector)
            .HasColumnName("search_vector")
            .HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(name, '')), 'A') || " +
                "setweight(to_tsvector('english', coalesce(brand, '')), 'B') || " +
                "setweight(to_tsvector('english', coalesce(description, '')), 'C')",
                stored: true);
        builder.HasIndex(p => p.SearchVector).HasMethod("GIN");
        builder.HasIndex(p => p.Name).HasMethod("GIN").HasOperators("gin_trgm_ops").HasDatabaseName("ix_products_name_trgm");
    }
}
