using Microsoft.AspNetCore.Builder;
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

    [Fact]
    public async Task A_command_line_argument_wins_over_the_shared_settings_file_before_and_after_an_edit()
    {
        await WriteDrainAsync(SettingsFile, "00:00:30");
        // A web application, as every service is (its builder orders its sources differently from the generic host's).
        var builder = WebApplication.CreateBuilder(["--Shutdown:DrainTimeout=00:00:09"]);
        builder.Configuration[ShopConfigurationKeys.SettingsFile] = SettingsFile;
        builder.AddServiceDefaults();
        await using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptionsMonitor<ShutdownOptions>>();
        Assert.Equal(TimeSpan.FromSeconds(9), options.CurrentValue.DrainTimeout);

        // The edit is reloaded (the sentinel proves it) and still ranks beneath the argument.
        await File.WriteAllTextAsync(SettingsFile, """{ "Shutdown": { "DrainTimeout": "00:00:05" }, "Sentinel": "edited" }""");
        var configuration = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        await Eventually.ReturnsAsync(() => Task.FromResult(configuration["Sentinel"]), value => value == "edited",
            TimeSpan.FromSeconds(10), "the edited file is reloaded");
        Assert.Equal(TimeSpan.FromSeconds(9), options.CurrentValue.DrainTimeout);
    }

    private IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[ShopConfigurationKeys.SettingsFile] = SettingsFile;
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
