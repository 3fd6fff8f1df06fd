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
    private const string LauncherFolder = "Hosting/Scripts/direct-launch";
    private const string RealDotnetVariable = "SHOP_REAL_DOTNET";

    public static IDistributedApplicationBuilder UseDirectProjectLaunch(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode
            || OperatingSystem.IsWindows()
            || builder.Configuration.GetValue("Shop:DirectLaunch", defaultValue: true) is false
            // Under an IDE, DCP asks the IDE to launch projects and never runs dotnet itself.
            || !string.IsNullOrEmpty(builder.Configuration["DEBUG_SESSION_PORT"]))
        {
            return builder;
        }

        var launcherDirectory = Path.Combine(AppContext.BaseDirectory, LauncherFolder);
        var launcher = Path.Combine(launcherDirectory, "dotnet");
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!File.Exists(launcher) || path.Split(Path.PathSeparator).Contains(launcherDirectory))
        {
            return builder;
        }

        var realDotnet = Environment.GetEnvironmentVariable(RealDotnetVariable)
            ?? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? Prerequisites.FindOnPath("dotnet");
        if (realDotnet is null)
        {
            return builder;
        }

        // A clone or copy may drop the executable bit; DCP executes the launcher directly.
        File.SetUnixFileMode(launcher, File.GetUnixFileMode(launcher)
            | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        // DCP inherits this process's environment when the application starts.
        Environment.SetEnvironmentVariable(RealDotnetVariable, realDotnet);
        Environment.SetEnvironmentVariable("PATH", launcherDirectory + Path.PathSeparator + path);
        return builder;
    }
}
