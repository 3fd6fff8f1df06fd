namespace Shop.ServiceDefaults.Telemetry;

/// <summary>Section "Telemetry:Tracing" of the live settings: which new traces a service records.</summary>
public sealed class TraceSamplingOptions
{
    public const string SectionName = "Telemetry:Tracing";

    /// <summary>Record every trace (the tests use this: they read what they asserted from real traces).</summary>
    public bool SampleAll { get; set; }

    /// <summary>New traces per second, per process, that are all recorded: a developer's pace stays complete.</summary>
    public double TracesPerSecond { get; set; } = 10;

    /// <summary>Share (0 to 1) of the new traces beyond <see cref="TracesPerSecond"/> that are still recorded.</summary>
    public double RatioAboveLimit { get; set; } = 0.01;
}
