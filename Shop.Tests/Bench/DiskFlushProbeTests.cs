using System.Diagnostics;
using Shop.Benchmarks.Mix;

namespace Shop.Tests.Bench;

/// <summary>The probe behind the mix's disk figures: it flushes at its pace once started, stops when disposed, and leaves no file.</summary>
public sealed class DiskFlushProbeTests
{
    [Fact]
    public async Task Writes_are_timed_at_the_probe_s_pace_until_it_is_disposed()
    {
        var clock = new Stopwatch();
        var probe = new DiskFlushProbe();
        try
        {
            Assert.True(File.Exists(probe.FilePath), probe.FilePath);
            await Task.Delay(DiskFlushProbe.Interval * 2);
            Assert.Equal(0, probe.Summarise(double.MinValue, double.MaxValue).Count); // nothing before Start

            clock.Start();
            probe.Start(clock);
            DiskFlushFigures running;
            do
            {
                await Task.Delay(DiskFlushProbe.Interval);
                running = probe.Summarise(0, clock.Elapsed.TotalSeconds);
            }
            while (running.Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(10));

            Assert.InRange(running.Count, 3, (int)(clock.Elapsed / DiskFlushProbe.Interval) + 1);
            Assert.True(running.P50Ms > 0 && running.P50Ms <= running.P99Ms && running.P99Ms <= running.MaxMs, running.ToString());
            Assert.Null(running.Failure);
        }
        finally
        {
            probe.Dispose();
        }

        var stoppedAt = clock.Elapsed.TotalSeconds;
        await Task.Delay(DiskFlushProbe.Interval * 4);
        Assert.Equal(0, probe.Summarise(stoppedAt, clock.Elapsed.TotalSeconds).Count);
        Assert.False(File.Exists(probe.FilePath), probe.FilePath);
        probe.Dispose(); // a second time changes nothing
    }
}
