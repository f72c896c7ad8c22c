using System.Diagnostics;

namespace Profiler.Measurement.Engine;

/// <summary>The engine's time source; a fake one makes the engine testable without real waiting.</summary>
public interface IClock
{
    /// <summary>Current timestamp in ticks of <see cref="TicksPerSecond"/>.</summary>
    long Now();

    /// <summary>Ticks per second.</summary>
    double TicksPerSecond { get; }
}

/// <summary>The real clock: <see cref="Stopwatch"/>, whose resolution here is far below one iteration.</summary>
public sealed class StopwatchClock : IClock
{
    /// <summary>The one instance.</summary>
    public static StopwatchClock Instance { get; } = new();

    /// <inheritdoc />
    public long Now() => Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public double TicksPerSecond => Stopwatch.Frequency;
}
