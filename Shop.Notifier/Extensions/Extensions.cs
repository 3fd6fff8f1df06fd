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

    /// <summary>
    /// How long the broker may hold an empty fetch, ms. 200: an email or a push 0.1 s later on average changes nothing
    /// for a shopper, and the idle notifier makes 5 fetches a second instead of 20 (README, Benchmarks).
    /// </summary>
    public const int FetchWaitMaxMs = 200;

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
            // arrives (a real broker answers as soon as one does): it bounds how long an event waits to be fetched
            // locally, and sets the idle consumer's pace, a fetch round trip for the notifier and the broker each time.
            settings.Config.FetchWaitMaxMs = FetchWaitMaxMs;
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
