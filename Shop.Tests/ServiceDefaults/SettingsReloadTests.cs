using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Configuration;
using Shop.ServiceDefaults.Shutdown;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.ServiceDefaults;

public sealed class SettingsReloadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shop-settings-").FullName;

    private string SettingsFile => Path.Combine(_directory, "shop.settings.json");

    [Fact]
    public async Task A_tunable_changes_when_the_shared_settings_file_changes_without_a_restart()
    {
        await WriteDrainAsync(SettingsFile, "00:00:30");
        using var host = BuildHost();
        var options = host.Services.GetRequiredService<IOptionsMonitor<ShutdownOptions>>();
        Assert.Equal(TimeSpan.FromSeconds(30), options.CurrentValue.DrainTimeout);

        await WriteDrainAsync(SettingsFile, "00:00:05");

        await WaitForDrainAsync(options, TimeSpan.FromSeconds(5), "the edited file is reloaded");
    }

    [Fact]
    public async Task A_file_replaced_by_a_rename_and_a_broken_edit_neither_stop_the_reload()
    {
        await WriteDrainAsync(SettingsFile, "00:00:30");
        using var host = BuildHost();
        var options = host.Services.GetRequiredService<IOptionsMonitor<ShutdownOptions>>();

        await File.WriteAllTextAsync(SettingsFile, """{ "Shutdown": { "DrainTimeout": """);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await WriteDrainAsync(SettingsFile + ".new", "00:00:07");
        File.Move(SettingsFile + ".new", SettingsFile, overwrite: true);

        await WaitForDrainAsync(options, TimeSpan.FromSeconds(7), "the renamed-in file is reloaded");
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[ShopSettingsFileExtensions.SettingsFileKey] = SettingsFile;
        builder.AddServiceDefaults();
        return builder.Build();
    }

    private static Task WriteDrainAsync(string path, string drain) =>
        File.WriteAllTextAsync(path, $$"""{ "Shutdown": { "DrainTimeout": "{{drain}}" } }""");

    private static Task WaitForDrainAsync(IOptionsMonitor<ShutdownOptions> options, TimeSpan expected, string because) =>
        Eventually.ReturnsAsync(() => Task.FromResult(options.CurrentValue.DrainTimeout), drain => drain == expected,
            TimeSpan.FromSeconds(10), because);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
