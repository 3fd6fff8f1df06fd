using Microsoft.EntityFrameworkCore;
using Shop.Notifier.Model;

namespace Shop.Notifier.Infrastructure;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Notification>(n =>
        {
            n.ToTable("notifications");
            n.Property(x => x.Channel).HasMaxLength(16);
            n.Property(x => x.EventType).HasMaxLength(64);
            n.Property(x => x.Text).HasMaxLength(2000);
            n.Property(x => x.TraceId).HasMaxLength(32);
            n.HasIndex(x => new { x.EventId, x.Channel }).IsUnique();
            n.HasIndex(x => new { x.UserId, x.CreatedAt });
        });
        modelBuilder.Entity<ProcessedEvent>(e =>
        {
            e.ToTable("processed_events");
            e.HasKey(x => x.EventId);
            e.Property(x => x.EventType).HasMaxLength(64);
        });
    }
}
