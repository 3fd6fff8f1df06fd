using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Shutdown;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.ServiceDefaults;

public sealed class SettingsReloadTests
{
    [Fact]
    public async Task A_tunable_changes_when_the_shared_settings_file_changes_without_a_restart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"shop-settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Shutdown": { "DrainTimeout": "00:00:30" } }""");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration[ShopSettingsFileExtensions.SettingsFileKey] = file;
            builder.AddServiceDefaults();
            using var host = builder.Build();
            var options = host.Services.GetRequiredService<IOptionsMonitor<ShutdownOptions>>();
            Assert.Equal(TimeSpan.FromSeconds(30), options.CurrentValue.DrainTimeout);

            await File.WriteAllTextAsync(file, """{ "Shutdown": { "DrainTimeout": "00:00:05" } }""");

            await Eventually.ReturnsAsync(() => Task.FromResult(options.CurrentValue.DrainTimeout),
                drain => drain == TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), "the edited file is reloaded");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
