using Profiler.Core;

namespace Profiler.Measurement.Engine;

/// <summary>
/// How the engine measures. Stop rule: the distribution-free 95% confidence interval of the case's
/// <see cref="LatencyEstimate"/> within <see cref="TargetRelativeCi"/> of the estimate on both sides, between
/// <see cref="MinIterations"/> and <see cref="MaxIterations"/> iterations, under <see cref="MaxPerCase"/> of timed
/// work per case.
/// </summary>
public sealed record EngineSettings
{
    /// <summary>Stop when the estimate's interval lies within this fraction of it on both sides (0.02 = ±2%).</summary>
    public double TargetRelativeCi { get; init; } = 0.02;

    /// <summary>Apply the sentinel's drift correction, where this run measures that it helps (off by default).</summary>
    public bool CorrectDrift { get; init; }

    /// <summary>Fewest iterations a case gets.</summary>
    public int MinIterations { get; init; } = 15;

    /// <summary>Most iterations a case gets.</summary>
    public int MaxIterations { get; init; } = 48;

    /// <summary>Fewest rounds (bursts spread over the run) a case is measured in.</summary>
    public int MinRounds { get; init; } = 3;

    /// <summary>Iterations per burst: each round gives every open case this many.</summary>
    public int IterationsPerBurst { get; init; } = 6;

    /// <summary>An iteration runs enough invocations to last about this long, so the timer's resolution is negligible.</summary>
    public Latency IterationTarget { get; init; } = Latency.FromMilliseconds(1);

    /// <summary>Warm-up before each burst: at least this long and at least two invocations.</summary>
    public Latency WarmupTime { get; init; } = Latency.FromMilliseconds(2);

    /// <summary>Cap on timed work per case; a case that reaches it stops unconverged.</summary>
    public Latency MaxPerCase { get; init; } = Latency.FromSeconds(10);

    /// <summary>Cap on the whole run (null: none). When reached, cases keep what they have and the run is incomplete.</summary>
    public Latency? Budget { get; init; }

    /// <summary>Side of the sentinel matrix product timed between rounds to follow drift.</summary>
    public int SentinelSize { get; init; } = 256;

    /// <summary>Seed for weights and inputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Most bursts a case gets by default: <see cref="MaxIterations"/> / <see cref="IterationsPerBurst"/>.</summary>
    public const int DefaultRounds = 8;

    /// <summary>
    /// These settings with at most <paramref name="rounds"/> bursts per case (the iteration cap scaled to match).
    /// Bursts on a shared machine differ by 10–30% from one another while the samples inside one agree, so a
    /// case's median settles with the number of bursts, not of iterations.
    /// </summary>
    public EngineSettings WithRounds(int rounds)
    {
        if (rounds < MinRounds) throw new InputException($"--rounds must be at least {MinRounds}, got {rounds}");
        return this with { MaxIterations = rounds * IterationsPerBurst };
    }

    /// <summary>
    /// These settings with exactly <paramref name="rounds"/> bursts per case (unless <see cref="MaxPerCase"/> ends
    /// one first): no case stops early on its CI, so cases compared side by side share every round, and a ratio
    /// can be taken round by round (<see cref="PairedRatio"/>).
    /// </summary>
    public EngineSettings WithExactRounds(int rounds) => WithRounds(rounds) with { MinRounds = rounds };

    /// <summary>Throws an <see cref="InputException"/> for settings the engine cannot honour.</summary>
    public EngineSettings Validated()
    {
        if (!(TargetRelativeCi > 0 && TargetRelativeCi < 1)) throw new InputException($"target relative CI must be in (0,1), got {TargetRelativeCi}");
        if (MinIterations < 2) throw new InputException("minimum iterations must be at least 2");
        if (MaxIterations < MinIterations) throw new InputException("maximum iterations must be at least the minimum");
        if (IterationsPerBurst < 1) throw new InputException("iterations per burst must be positive");
        if (MinRounds < 1) throw new InputException("minimum rounds must be positive");
        return this;
    }
}
