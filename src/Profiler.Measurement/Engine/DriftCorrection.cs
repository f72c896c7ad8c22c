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
        var factors = new List<double>();
        for (int r = 0; r < last; r++)
            factors.Add(Math.Sqrt(medians[r] * medians[r + 1]) / reference);
        if (last == 0) factors.Add(1.0);
        return new DriftResult(description, medians.Select(m => new Latency(m)).ToList(), factors, true);
    }
}
