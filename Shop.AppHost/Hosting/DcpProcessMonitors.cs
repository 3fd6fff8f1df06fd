using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Hosting;

/// <summary>
/// Beside every executable it starts, DCP starts a monitor (<c>dcp monitor-process</c>, a Go program that checks once
/// a second) to stop that executable should DCP's controller process die without stopping it. DCP calls the monitors
/// a best-effort reliability enhancement and starts none when <see cref="DisableVariable"/> is set in its environment
/// (DCP's <c>internal/dcpproc</c>). Shop's run mode has nine executables, so nine monitors: 0.008 cores of the system's
/// idle CPU and 224 MiB PSS here (README, Benchmarks). Without them a stop, Ctrl-C, or the AppHost killed still stops
/// every executable (DCP watches the AppHost's process and stops its resources when it ends); only DCP itself ending
/// abruptly (a crash, SIGKILL, the OOM killer) would leave them running. The variable is set process-wide: DCP's
/// children and any other AppHost started in the same process (the tests') inherit it.
/// </summary>
public static class DcpProcessMonitors
{
    /// <summary>DCP skips its monitors when this variable is set, whatever its value.</summary>
    public const string DisableVariable = "DCP_DISABLE_MONITOR_PROCESS";

    /// <summary><c>--Shop:DcpProcessMonitors=true</c> keeps DCP's monitors.</summary>
    public const string KeepKey = "Shop:DcpProcessMonitors";

    /// <summary>
    /// In run mode, unless <see cref="KeepKey"/> is true, sets <see cref="DisableVariable"/> in this process's
    /// environment before DCP starts, which DCP inherits. Publish mode starts no DCP and is left alone.
    /// </summary>
    public static IDistributedApplicationBuilder WithoutDcpProcessMonitors(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode && !builder.Configuration.GetValue<bool>(KeepKey))
        {
            Environment.SetEnvironmentVariable(DisableVariable, "1");
        }
        return builder;
    }
}
