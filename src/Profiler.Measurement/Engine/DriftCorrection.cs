using MathNet.Numerics.Statistics;
using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Turns the sentinel's timings at round boundaries into one factor per round. Round r lies between boundaries r
/// and r+1; its factor is the geometric mean of the two boundary medians over the median of all boundary medians.
/// Dividing a round's samples by its factor would remove drift the sentinel saw (a slower machine makes everything
/// slower). Measured on this machine it did not: two tiny profiles' corrected p10 agreed within ±5% for 52% of
/// cases, their uncorrected p10 for 99%. So the correction is a diagnostic; it is applied only when asked for and
/// when, in this very run, it makes each case's bursts agree better with one another (<see cref="RequiredGain"/>).
/// </summary>
public static class DriftCorrection
{
    /// <summary>A boundary whose sentinel is this many times above or below the run's median level is a spike.</summary>
    public const double SpikeRatio = 1.5;

    /// <summary>The correction helps when it brings the bursts' spread below this fraction of the spread as timed.</summary>
    public const double RequiredGain = 0.9;

    /// <summary>
    /// Computes the drift record from sentinel samples by boundary, and the cases' burst-to-burst spread with and
    /// without the correction; <paramref name="apply"/> asks for the correction, which is applied only if it helps.
    /// </summary>
    public static DriftResult Compute(SortedDictionary<int, List<double>> sentinels, string description,
        IReadOnlyList<IReadOnlyList<Burst>> cases, bool apply)
    {
        var factors = Factors(sentinels, out var medians);
        var drift = new DriftResult(description, medians, factors, double.NaN, double.NaN, false);
        drift = drift with { SpreadAsTimed = Spread(cases, _ => 1.0), SpreadCorrected = Spread(cases, drift.FactorOf) };
        return drift with { Applied = apply && drift.Helps };
    }

    /// <summary>
    /// Median over cases with at least two bursts of the median absolute log-deviation of each burst's estimate
    /// (<see cref="LatencyEstimate.ValueOf"/>) from the case's median burst estimate, after dividing by the round's factor.
    /// </summary>
    public static double Spread(IReadOnlyList<IReadOnlyList<Burst>> cases, Func<int, double> factor)
    {
        var spreads = cases.Where(c => c.Count >= 2).Select(c =>
        {
            var logs = c.Select(b => Math.Log(LatencyEstimate.ValueOf(b.Samples) / factor(b.Round))).ToArray();
            double centre = Statistics.Median(logs);
            return Statistics.Median(logs.Select(l => Math.Abs(l - centre)));
        }).ToArray();
        return spreads.Length == 0 ? double.NaN : Statistics.Median(spreads);
    }

    private static List<double> Factors(SortedDictionary<int, List<double>> sentinels, out List<Latency> boundaryMedians)
    {
        boundaryMedians = [];
        if (sentinels.Count == 0) return [];
        int last = sentinels.Keys.Max();
        var medians = new double[last + 1];
        for (int b = 0; b <= last; b++)
            medians[b] = sentinels.TryGetValue(b, out var s) && s.Count > 0 ? Statistics.Median(s) : double.NaN;
        // A boundary without a sentinel (a resumed run stopped before it) borrows its neighbour's level.
        for (int b = 0; b <= last; b++)
            if (double.IsNaN(medians[b])) medians[b] = b > 0 ? medians[b - 1] : medians.First(m => !double.IsNaN(m));
        double reference = Statistics.Median(medians);
        // A boundary far from the run's level caught a burst of contention (another process took a core and an
        // OpenMP region waited for it: a 0.2 ms sentinel took 16 ms), not drift. It borrows the nearest sound level.
        var sound = medians.Select(m => Math.Abs(Math.Log(m / reference)) <= Math.Log(SpikeRatio)).ToArray();
        var levels = new double[medians.Length];
        for (int b = 0; b <= last; b++)
            levels[b] = sound[b] ? medians[b] : NearestSound(medians, sound, b) ?? reference;
        var factors = new List<double>();
        for (int r = 0; r < last; r++)
            factors.Add(Math.Sqrt(levels[r] * levels[r + 1]) / reference);
        if (last == 0) factors.Add(1.0);
        boundaryMedians = medians.Select(m => new Latency(m)).ToList();
        return factors;
    }

    private static double? NearestSound(double[] medians, bool[] sound, int b)
    {
        for (int distance = 1; distance < medians.Length; distance++)
        {
            if (b - distance >= 0 && sound[b - distance]) return medians[b - distance];
            if (b + distance < medians.Length && sound[b + distance]) return medians[b + distance];
        }
        return null;
    }
}
