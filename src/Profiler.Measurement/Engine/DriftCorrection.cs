using MathNet.Numerics.Statistics;
using Profiler.Core;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Turns the sentinel's timings at round boundaries into one factor per round. Round r lies between boundaries r
/// and r+1; its factor is the geometric mean of the two boundary medians over the median of all boundary medians. Dividing a
/// round's samples by its factor removes drift the sentinel saw (a slower machine makes everything slower).
/// </summary>
public static class DriftCorrection
{
    /// <summary>A boundary whose sentinel is this many times above or below the run's median level is a spike.</summary>
    public const double SpikeRatio = 1.5;

    /// <summary>Computes the drift record from sentinel samples by boundary.</summary>
    public static DriftResult Compute(SortedDictionary<int, List<double>> sentinels, string description)
    {
        if (sentinels.Count == 0)
            return new DriftResult(description, [], [], false);
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
        return new DriftResult(description, medians.Select(m => new Latency(m)).ToList(), factors, true);
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
