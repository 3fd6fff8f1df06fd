using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.UserApi.Model;

namespace Shop.UserApi.Infrastructure;

public sealed class RefreshTokenEntityTypeConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> token)
    {
        token.ToTable("refresh_tokens");
        token.HasKey(t => t.Id);
        token.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
        token.Property(t => t.FamilyId).HasColumnName("family_id");
        token.Property(t => t.UserId).HasColumnName("user_id");
        token.Property(t => t.TokenHash).HasColumnName("token_hash").HasMaxLength(32).IsRequired();
        token.Property(t => t.CreatedAt).HasColumnName("created_at").HasColumnType("timestamp with time zone");
        token.Property(t => t.ExpiresAt).HasColumnName("expires_at").HasColumnType("timestamp with time zone");
        token.Property(t => t.UsedAt).HasColumnName("used_at").HasColumnType("timestamp with time zone");
        token.Property(t => t.ReplacedById).HasColumnName("replaced_by_id");
        token.Property(t => t.RevokedAt).HasColumnName("revoked_at").HasColumnType("timestamp with time zone");

        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        token.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("ix_refresh_tokens_token_hash");
        token.HasIndex(t => t.FamilyId).HasDatabaseName("ix_refresh_tokens_family_id");
        token.HasIndex(t => new { t.UserId, t.RevokedAt }).HasDatabaseName("ix_refresh_tokens_user_id_revoked_at");
    }
}
