using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Engine;

/// <summary>One case as measured: its latency estimate, diagnostics, and the raw samples per round.</summary>
/// <param name="Case">The case.</param>
/// <param name="Latency">The primary latency with its interval, of the samples as timed (drift-corrected only where
/// <see cref="DriftResult.Applied"/>).</param>
/// <param name="Statistics">Diagnostics (median, mean, quartiles, …) of the same samples.</param>
/// <param name="UncorrectedMedian">Median of the samples as timed.</param>
/// <param name="Invocations">Invocations per iteration.</param>
/// <param name="Converged">True when the estimate's CI target was reached.</param>
/// <param name="Flops">FLOPs per invocation.</param>
/// <param name="Bytes">Compulsory bytes per invocation.</param>
/// <param name="Bursts">The samples as timed, burst by burst with their rounds (to pair cases round by round).</param>
public sealed record MeasuredCase(
    OperatorCase Case, LatencyEstimate Latency, SampleStatistics Statistics, Latency UncorrectedMedian,
    int Invocations, bool Converged, double Flops, double Bytes, IReadOnlyList<Burst> Bursts)
{
    /// <summary>Nanoseconds per invocation, per iteration, as timed, in round order.</summary>
    public IReadOnlyList<double> Samples => Bursts.SelectMany(b => b.Samples).ToList();

    /// <summary>Bursts (rounds) the case was measured in.</summary>
    public int Rounds => Bursts.Count;
}

/// <summary>
/// The sentinel's medians at each round boundary, the correction factor each round would get, and whether the
/// correction was measured to help: the cases' burst-to-burst spread with and without it.
/// </summary>
/// <param name="Description">What the sentinel computes.</param>
/// <param name="BoundaryMedians">Sentinel median at each round boundary.</param>
/// <param name="RoundFactors">Per round: sentinel level relative to the run's median level (1 = no drift).</param>
/// <param name="SpreadAsTimed">Median over cases of the relative spread of their burst estimates, as timed (NaN when no case had two bursts).</param>
/// <param name="SpreadCorrected">The same spread after the correction.</param>
/// <param name="Applied">True when the factors were applied to the samples: asked for, and measured to help.</param>
public sealed record DriftResult(
    string Description, IReadOnlyList<Latency> BoundaryMedians, IReadOnlyList<double> RoundFactors,
    double SpreadAsTimed, double SpreadCorrected, bool Applied)
{
    /// <summary>True when the correction made the cases' bursts agree better than as timed.</summary>
    public bool Helps => SpreadCorrected < DriftCorrection.RequiredGain * SpreadAsTimed;

    /// <summary>Round <paramref name="round"/>'s factor; 1 for a round past the sentinel's record.</summary>
    public double FactorOf(int round) => round < RoundFactors.Count ? RoundFactors[round] : 1.0;

    /// <summary>A burst's samples divided by its round's factor.</summary>
    public IEnumerable<double> Corrected(Burst burst)
    {
        double factor = FactorOf(burst.Round);
        return burst.Samples.Select(s => s / factor);
    }
}

/// <summary>The device's measured ceilings.</summary>
/// <param name="MatmulFlopsPerSecond">Best measured square matrix product throughput.</param>
/// <param name="MatmulDescription">Which products were timed.</param>
/// <param name="MemoryBytesPerSecond">Measured copy bandwidth (bytes read plus bytes written per second).</param>
/// <param name="MemoryDescription">Which copy was timed.</param>
public sealed record Ceilings(double MatmulFlopsPerSecond, string MatmulDescription, double MemoryBytesPerSecond, string MemoryDescription);

/// <summary>Everything one run produced.</summary>
/// <param name="Cases">Measured cases in plan order (cases with no sample are left out).</param>
/// <param name="Drift">Drift record.</param>
/// <param name="Ceilings">Device ceilings.</param>
/// <param name="Complete">False when the budget ended the run before every case was done.</param>
/// <param name="Elapsed">Wall time of this process's part of the run.</param>
public sealed record MeasurementRun(IReadOnlyList<MeasuredCase> Cases, DriftResult Drift, Ceilings Ceilings, bool Complete, Latency Elapsed);

/// <summary>Progress of a run, reported after every burst.</summary>
/// <param name="Current">The case just measured.</param>
/// <param name="Round">Its round.</param>
/// <param name="CasesDone">Cases the stop rule has ended.</param>
/// <param name="CaseCount">Cases in the plan.</param>
/// <param name="Fraction">Estimated fraction of the run's work done, 0..1.</param>
public sealed record EngineProgress(OperatorCase? Current, int Round, int CasesDone, int CaseCount, double Fraction);
