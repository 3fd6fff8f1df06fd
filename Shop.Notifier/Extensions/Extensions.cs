using Shop.Notifier.Apis;
using Shop.Notifier.Channels;
using Shop.Notifier.Infrastructure;
using Shop.Notifier.Services;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Security;
using Shop.ServiceDefaults.OpenApi;

namespace Shop.Notifier.Extensions;

public static class NotifierExtensions
{
    public const string ConsumerGroup = "notifier";

    public static IHostApplicationBuilder AddNotifierServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopJwtAuthentication();
        builder.AddDefaultOpenApi("Shop notifier", "The notifications sent to the caller about their orders (email, SMS, push).",
            new Dictionary<string, string> { ["Notifications"] = "What was sent to the caller." });

        builder.AddShopDbContext<NotificationsDbContext>(ShopResources.NotificationsDb);
        builder.Services.AddMigration<NotificationsDbContext>();
        builder.AddKafkaConsumer<string, string>(ShopResources.Kafka, settings =>
        {
            settings.Config.GroupId = ConsumerGroup;
            settings.Config.EnableAutoCommit = false; // committed after messages are handled
            settings.Config.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest;
            // librdkafka's mock broker answers an empty fetch only after this wait, never earlier when a message
            // arrives: it bounds how long an event waits to be fetched, and sets the idle consumer's pace (a shorter
            // wait is more fetch round trips a second, 100 at 10 ms, for the notifier and the broker to do for nothing).
            settings.Config.FetchWaitMaxMs = 50;
            // Heartbeats come from librdkafka's own thread, so a long handler never trips this. A coordinator waits up
            // to about this long after a member leaves before a new member's join completes (the embedded broker
            // always does): 10 s, Kafka's long-time default, instead of 45 s keeps a restarted Notifier's pause short.
            settings.Config.SessionTimeoutMs = 10_000;
        });
        // For the dead-letter topic.
        builder.AddKafkaProducer<string, string>(ShopResources.Kafka, settings =>
        {
            settings.Config.Acks = Confluent.Kafka.Acks.All;
            settings.Config.MessageTimeoutMs = 10_000;
        });

        builder.Services.Configure<ConsumerOptions>(builder.Configuration.GetSection(ConsumerOptions.SectionName));
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection(SmtpOptions.SectionName));
        builder.Services.AddSingleton<INotificationChannel, EmailChannel>();
        builder.Services.AddSingleton<INotificationChannel, SmsChannel>();
        builder.Services.AddSingleton<INotificationChannel, PushChannel>();
        builder.Services.AddScoped<OrderEventHandler>();
        builder.Services.AddScoped<NotificationHistory>();
        builder.Services.AddHostedService<OrderEventConsumer>();
        return builder;
    }

    public static WebApplication MapNotifierApi(this WebApplication app)
    {
        app.MapNotificationsApi();
        return app;
    }
}
