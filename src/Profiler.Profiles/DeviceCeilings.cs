namespace Profiler.Profiles;

/// <summary>
/// What the device can do at best, measured in the same run: the yardsticks that
/// <see cref="CaseEntry.FractionOfPeak"/> is relative to.
/// </summary>
public sealed record DeviceCeilings
{
    /// <summary>Peak matrix-multiply throughput in FLOP/s (2 FLOPs per multiply-accumulate).</summary>
    public required double MatmulFlopsPerSecond { get; init; }

    /// <summary>The matmul that measured <see cref="MatmulFlopsPerSecond"/>, e.g. "2048x2048x2048 float32".</summary>
    public required string MatmulSize { get; init; }

    /// <summary>Memory bandwidth in bytes/s.</summary>
    public required double MemoryBytesPerSecond { get; init; }

    /// <summary>The transfer that measured <see cref="MemoryBytesPerSecond"/>, e.g. "copy of 256 MiB".</summary>
    public required string MemorySize { get; init; }
}
