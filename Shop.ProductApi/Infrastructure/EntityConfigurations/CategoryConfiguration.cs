using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Infrastructure.EntityConfigurations;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.ToTable("categories");
        builder.Property(c => c.Id).HasColumnName("id");
        builder.Property(c => c.Slug).HasColumnName("slug").HasMaxLength(64);
        builder.HasIndex(c => c.Slug).IsUnique();
        builder.Property(c => c.Name).HasColumnName("name").HasMaxLength(100);
    }
}
