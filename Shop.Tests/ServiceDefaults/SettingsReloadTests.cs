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

    [Fact]
    public async Task A_file_replaced_by_a_rename_and_a_broken_edit_neither_stop_the_reload()
    {
        var directory = Directory.CreateTempSubdirectory("shop-settings-").FullName;
        var file = Path.Combine(directory, "shop.settings.json");
        await File.WriteAllTextAsync(file, """{ "Shutdown": { "DrainTimeout": "00:00:30" } }""");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration[ShopSettingsFileExtensions.SettingsFileKey] = file;
            builder.AddServiceDefaults();
            using var host = builder.Build();
            var options = host.Services.GetRequiredService<IOptionsMonitor<ShutdownOptions>>();

            await File.WriteAllTextAsync(file, """{ "Shutdown": { "DrainTimeout": """);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await File.WriteAllTextAsync(file + ".new", """{ "Shutdown": { "DrainTimeout": "00:00:07" } }""");
            File.Move(file + ".new", file, overwrite: true);

            await Eventually.ReturnsAsync(() => Task.FromResult(options.CurrentValue.DrainTimeout),
                drain => drain == TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(10), "the renamed-in file is reloaded");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
