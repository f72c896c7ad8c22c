using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>The measurements of one case in a profile.</summary>
public sealed record CaseEntry
{
    /// <summary>What was measured.</summary>
    public required OperatorCase Case { get; init; }

    /// <summary>
    /// The primary latency of one invocation with its confidence interval: what the fit, the predictions and the
    /// plan measurements use. Schema 2: <see cref="LatencyEstimate"/> (the p10 of the samples). Schema 1 had no
    /// such field; its files read with the median here and no interval (<see cref="RunSettings.Estimator"/>).
    /// </summary>
    public required LatencyEstimate Latency { get; init; }

    /// <summary>Diagnostics of the latency of one invocation, corrected for drift when <see cref="DriftRecord.Applied"/>.</summary>
    public required SampleStatistics Statistics { get; init; }

    /// <summary>Median latency of one invocation before the drift correction.</summary>
    public required Latency UncorrectedMedian { get; init; }

    /// <summary>Invocations timed together as one iteration (one sample).</summary>
    public required int InvocationsPerIteration { get; init; }

    /// <summary>Interleaved rounds this case was measured in.</summary>
    public required int Rounds { get; init; }

    /// <summary>True when the stop rule's target was reached; false when a limit stopped it first.</summary>
    public required bool Converged { get; init; }

    /// <summary>Floating-point operations of one invocation, 2 per multiply-accumulate.</summary>
    public required double Flops { get; init; }

    /// <summary>Bytes one invocation moves to and from memory.</summary>
    public required double Bytes { get; init; }

    /// <summary><see cref="Flops"/> divided by the primary latency, in FLOP/s.</summary>
    public required double AchievedFlopsPerSecond { get; init; }

    /// <summary><see cref="AchievedFlopsPerSecond"/> relative to <see cref="DeviceCeilings.MatmulFlopsPerSecond"/>.</summary>
    public required double FractionOfPeak { get; init; }
}
