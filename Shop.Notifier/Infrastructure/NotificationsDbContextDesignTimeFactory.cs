using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Data;

namespace Shop.Notifier.Infrastructure;

/// <summary>For <c>dotnet ef</c>: <see cref="NotificationsDbContext"/> on notificationsdb (see <see cref="ShopDesignTimeDbContextFactory{TContext}"/>).</summary>
public sealed class NotificationsDbContextDesignTimeFactory() : ShopDesignTimeDbContextFactory<NotificationsDbContext>(ShopResources.NotificationsDb);
