using Microsoft.EntityFrameworkCore;
using Shop.UserApi.Model;

namespace Shop.UserApi.Infrastructure;

public sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new UserEntityTypeConfiguration())
            .ApplyConfiguration(new RefreshTokenEntityTypeConfiguration());
}
