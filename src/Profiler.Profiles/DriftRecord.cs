using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// How the machine's speed drifted during the run, seen through a fixed sentinel case timed between rounds, the
/// per-round factors that would correct the measurements for it, and whether the correction was measured to help
/// and applied.
/// </summary>
public sealed record DriftRecord
{
    /// <summary>The sentinel case, as its <see cref="OperatorCase.Key"/>.</summary>
    public required string Sentinel { get; init; }

    /// <summary>The sentinel's median latency each time it was timed, in order (at the round boundaries).</summary>
    public required IReadOnlyList<Latency> SentinelMedians { get; init => field = ValueList<Latency>.From(value); }

    /// <summary>Per round, the sentinel's level relative to the run's (1 = no drift); corrected samples were divided by it.</summary>
    public required IReadOnlyList<double> Corrections { get; init => field = ValueList<double>.From(value); }

    /// <summary>
    /// Median over cases of the relative spread of their burst estimates as timed; null when not measured (schema 1,
    /// or no case with two bursts).
    /// </summary>
    public required double? SpreadAsTimed { get; init; }

    /// <summary>The same spread after the correction; the correction helps when it is lower.</summary>
    public required double? SpreadCorrected { get; init; }

    /// <summary>True when the corrections were applied to the case statistics.</summary>
    public required bool Applied { get; init; }
}
