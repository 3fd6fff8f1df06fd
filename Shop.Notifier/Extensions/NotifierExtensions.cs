using Shop.Notifier.Channels;
using Shop.Notifier.Infrastructure;
using Shop.Notifier.Services;
using Shop.ServiceDefaults.Security;

namespace Shop.Notifier.Extensions;

public static class NotifierExtensions
{
    public const string ConsumerGroup = "notifier";

    public static IHostApplicationBuilder AddNotifierServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopJwtAuthentication();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddNpgsqlDbContext<NotificationsDbContext>("notificationsdb");
        builder.AddKafkaConsumer<string, string>("kafka", settings =>
        {
            settings.Config.GroupId = ConsumerGroup;
            settings.Config.EnableAutoCommit = false; // committed after each message is handled
            settings.Config.AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest;
            settings.Config.FetchWaitMaxMs = 10;
        });
        // For the dead-letter topic.
        builder.AddKafkaProducer<string, string>("kafka", settings =>
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
        builder.Services.AddHostedService<OrderEventConsumer>();
        return builder;
    }
}
