using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Hosting;

/// <summary>
/// In local run mode DCP starts each project replica as <c>dotnet run --no-build --project …</c>, and that SDK
/// process stays resident beside the service for its whole life: about 140 MB each, a gigabyte for Shop's seven
/// replicas on a small machine, plus an MSBuild evaluation on every start and restart. A launcher named
/// <c>dotnet</c> put first on DCP's PATH (Scripts/direct-launch/dotnet) execs the already built service for exactly
/// that call and hands every other call to the real dotnet. The dashboard, replicas, endpoints and environment stay
/// Aspire's own; only the wrapper process is gone. <c>--Shop:DirectLaunch=false</c> turns it off.
/// </summary>
public static class DirectProjectLaunch
{
    private const string LauncherFolderName = "direct-launch";
    private const string LauncherFolder = "Hosting/Scripts/" + LauncherFolderName;

    public static IDistributedApplicationBuilder UseDirectProjectLaunch(this IDistributedApplicationBuilder builder)
    {
        // PATH belongs to the whole process (tests host several apps in one): start from a PATH without launchers.
        var path = Prerequisites.PathDirectories().Where(dir => !IsLauncherFolder(dir)).ToList();
        Environment.SetEnvironmentVariable("PATH", string.Join(Path.PathSeparator, path));

        if (!builder.ExecutionContext.IsRunMode
            || !OperatingSystem.IsLinux()
            || builder.Configuration.GetValue(AppHostConfigurationKeys.DirectLaunch, defaultValue: true) is false
            // Under an IDE, DCP asks the IDE to launch projects and never runs dotnet itself.
            || !string.IsNullOrEmpty(builder.Configuration["DEBUG_SESSION_PORT"]))
        {
            return builder;
        }

        var launcherDirectory = Path.Combine(AppContext.BaseDirectory, LauncherFolder);
        var launcher = Path.Combine(launcherDirectory, "dotnet");
        var realDotnet = Prerequisites.FindOnPath("dotnet", path);
        if (!File.Exists(launcher) || realDotnet is null || !TryMakeExecutable(launcher))
        {
            return builder;
        }

        // DCP inherits this process's environment when the application starts.
        Environment.SetEnvironmentVariable("SHOP_REAL_DOTNET", realDotnet);
        // The runtime folder is <root>/shared/Microsoft.NETCore.App/<version>/: what an app host needs as DOTNET_ROOT.
        Environment.SetEnvironmentVariable("SHOP_DOTNET_ROOT",
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")));
        Environment.SetEnvironmentVariable("PATH", string.Join(Path.PathSeparator, [launcherDirectory, .. path]));
        return builder;
    }

    private static bool IsLauncherFolder(string dir) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)) == LauncherFolderName;

    /// <summary>A clone or copy may drop the executable bit, and DCP executes the launcher directly.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool TryMakeExecutable(string launcher)
    {
        try
        {
            File.SetUnixFileMode(launcher, File.GetUnixFileMode(launcher)
                | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // projects then run under dotnet run, as Aspire does by default
        }
    }
}
