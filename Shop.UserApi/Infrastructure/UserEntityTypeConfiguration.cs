using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.UserApi.Model;

namespace Shop.UserApi.Infrastructure;

public sealed class UserEntityTypeConfiguration : IEntityTypeConfiguration<User>
{
    public const string NormalizedEmailIndex = "ix_users_normalized_email";

    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasKey(u => u.Id);
        user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
        user.Property(u => u.Email).HasColumnName("email").HasMaxLength(UserRules.EmailMaxLength).IsRequired();
        user.Property(u => u.NormalizedEmail).HasColumnName("normalized_email").HasMaxLength(UserRules.EmailMaxLength).IsRequired();
        user.Property(u => u.PasswordHash).HasColumnName("password_hash").IsRequired();
        user.Property(u => u.Name).HasColumnName("name").HasMaxLength(UserRules.NameMaxLength).IsRequired();
        user.Property(u => u.Phone).HasColumnName("phone").HasMaxLength(UserRules.PhoneMaxLength);
        user.Property(u => u.Role).HasColumnName("role").HasMaxLength(16).IsRequired();
        user.Property(u => u.Active).HasColumnName("active");
        // timestamptz: Npgsql only writes DateTimeOffset values with offset 0 (UTC) into it.
        user.Property(u => u.CreatedAt).HasColumnName("created_at").HasColumnType("timestamp with time zone");
        user.Property(u => u.UpdatedAt).HasColumnName("updated_at").HasColumnType("timestamp with time zone");
        user.Property(u => u.SecurityVersion).HasColumnName("security_version");
        user.Property(u => u.DeactivatedAt).HasColumnName("deactivated_at").HasColumnType("timestamp with time zone");

        user.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName(NormalizedEmailIndex);
        user.HasIndex(u => u.CreatedAt).HasDatabaseName("ix_users_created_at");
    }
}
