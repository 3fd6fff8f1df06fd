using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Hosting;

/// <summary>
/// One librdkafka mock cluster in this process: ephemeral ports, data in memory, gone with the AppHost
/// (so even a killed AppHost leaves no broker behind).
/// </summary>
internal sealed unsafe class EmbeddedKafkaCluster : IDisposable
{
    private static readonly ConcurrentDictionary<IntPtr, ILogger> Loggers = new();

    private readonly IntPtr _handle;
    private readonly IntPtr _cluster;
    private readonly int _brokerCount;
    private readonly Lock _gate = new();
    private bool _disposed;

    public string BootstrapServers { get; }

    public bool IsUp { get; private set; } = true;

    public EmbeddedKafkaCluster(int brokerCount, ILogger logger)
    {
        _brokerCount = brokerCount;
        var errors = stackalloc byte[512];
        var conf = LibRdKafkaMock.ConfNew();
        LibRdKafkaMock.ConfSet(conf, "client.id", "shop-embedded-kafka", errors, 512);
        LibRdKafkaMock.ConfSetLogCallback(conf, &OnLog);
        _handle = LibRdKafkaMock.New(LibRdKafkaMock.ProducerType, conf, errors, 512);
        if (_handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"librdkafka could not start: {Marshal.PtrToStringUTF8((IntPtr)errors)}");
        }
        Loggers[_handle] = logger;

        _cluster = LibRdKafkaMock.ClusterNew(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafkaMock.Destroy(_handle);
            throw new InvalidOperationException("librdkafka could not create its mock cluster.");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(LibRdKafkaMock.ClusterBootstraps(_cluster))!;
    }

    public void CreateTopic(string name, int partitions)
    {
        var error = LibRdKafkaMock.TopicCreate(_cluster, name, partitions, Math.Min(_brokerCount, 3));
        if (error != 0)
        {
            throw new InvalidOperationException($"Topic '{name}' could not be created: {LibRdKafkaMock.Describe(error)}");
        }
    }

    /// <summary>Takes every broker down (connections dropped and refused) or brings them back, for fault tests.</summary>
    public void SetUp(bool up)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var brokerId = 1; brokerId <= _brokerCount; brokerId++)
            {
                var error = up ? LibRdKafkaMock.BrokerSetUp(_cluster, brokerId) : LibRdKafkaMock.BrokerSetDown(_cluster, brokerId);
                if (error != 0)
                {
                    throw new InvalidOperationException($"Broker {brokerId} could not be set {(up ? "up" : "down")}: {LibRdKafkaMock.Describe(error)}");
                }
            }
            IsUp = up;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            LibRdKafkaMock.ClusterDestroy(_cluster);
            LibRdKafkaMock.Destroy(_handle);
            Loggers.TryRemove(_handle, out _);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(IntPtr rk, int level, byte* facility, byte* message)
    {
        if (!Loggers.TryGetValue(rk, out var logger)) return;
        var logLevel = level <= 3 ? LogLevel.Error : level == 4 ? LogLevel.Warning : level <= 6 ? LogLevel.Information : LogLevel.Debug;
        logger.Log(logLevel, "{Facility}: {Message}", Marshal.PtrToStringUTF8((IntPtr)facility), Marshal.PtrToStringUTF8((IntPtr)message));
    }
}
