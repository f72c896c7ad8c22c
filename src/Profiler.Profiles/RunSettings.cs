using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>How a profiling run was set up and whether it finished: everything needed to repeat it.</summary>
public sealed record RunSettings
{
    /// <summary>Preset name, e.g. "tiny".</summary>
    public required string Preset { get; init; }

    /// <summary>Operators profiled, in the order given.</summary>
    public required IReadOnlyList<OperatorKind> Operators { get; init => field = ValueList<OperatorKind>.From(value); }

    /// <summary>Token counts profiled.</summary>
    public required IReadOnlyList<int> Tokens { get; init => field = ValueList<int>.From(value); }

    /// <summary>Intra-op threads the backend was fixed to.</summary>
    public required int Threads { get; init; }

    /// <summary>Batch size.</summary>
    public required int Batch { get; init; }

    /// <summary>Element type of the measured tensors, e.g. "float32".</summary>
    public required string DType { get; init; }

    /// <summary>Seed of the random inputs and of the case order.</summary>
    public required int Seed { get; init; }

    /// <summary>Interleaved rounds the run used (each case is measured in short bursts, one per round); 0 if none ran.</summary>
    public required int Rounds { get; init; }

    /// <summary>
    /// The statistic each case's primary latency is: "p10" (schema 2: the 10th percentile of the samples, with a
    /// distribution-free 95% interval) or "median" (schema 1: the drift-corrected median).
    /// </summary>
    public required string Estimator { get; init; }

    /// <summary>
    /// Stop rule: how close the interval must come, relative to the estimate (e.g. 0.02): schema 2, the estimate's
    /// 95% interval on both sides; schema 1, the 99.9% CI half-width of the mean.
    /// </summary>
    public required double TargetRelativeCiHalfWidth { get; init; }

    /// <summary>Stop rule: fewest iterations per case.</summary>
    public required int MinIterations { get; init; }

    /// <summary>Stop rule: most iterations per case.</summary>
    public required int MaxIterations { get; init; }

    /// <summary>Stop rule: most time spent measuring one case.</summary>
    public required Latency MaxTimePerCase { get; init; }

    /// <summary>Time one iteration aims for; the pilot picks invocations per iteration to reach it.</summary>
    public required Latency IterationTime { get; init; }

    /// <summary>Time budget of the whole run, or null when it had none.</summary>
    public required Latency? Budget { get; init; }

    /// <summary>False when the budget ran out before every case converged.</summary>
    public required bool Complete { get; init; }
}
