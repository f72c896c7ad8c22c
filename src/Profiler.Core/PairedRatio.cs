using MathNet.Numerics.Statistics;

namespace Profiler.Core;

/// <summary>
/// The ratio of two things timed side by side, from one ratio per round (each burst's median over the other's in
/// the same round): the median of those ratios and its distribution-free confidence interval. A round's two bursts
/// run moments apart, so the spread of the ratios is what the share itself varies by, not the machine's drift over
/// the run, and the interval says how well the run pinned the share down.
/// </summary>
/// <param name="Median">Median of the per-round ratios.</param>
/// <param name="Low">Lower end of the <see cref="ConfidenceLevel"/> interval of that median.</param>
/// <param name="High">Upper end of it.</param>
/// <param name="Rounds">Rounds paired.</param>
public sealed record PairedRatio(double Median, double Low, double High, int Rounds)
{
    /// <summary>Confidence level of [<see cref="Low"/>, <see cref="High"/>].</summary>
    public const double ConfidenceLevel = 0.95;

    /// <summary>
    /// Summarises per-round ratios. The interval runs between order statistics j and n+1−j with j the largest rank
    /// whose binomial tail P(B ≤ j−1), B ~ Bin(n, ½), stays within (1 − level)/2; below six rounds no rank does, and
    /// the interval is the whole range. Refuses an empty list and non-finite or non-positive ratios.
    /// </summary>
    public static PairedRatio Of(IReadOnlyList<double> ratios)
    {
        if (ratios.Count == 0) throw new ArgumentException("no rounds to pair", nameof(ratios));
        foreach (var r in ratios)
        {
            if (!double.IsFinite(r) || r <= 0) throw new InputException($"a per-round ratio is {r}: it must be finite and positive");
        }
        var sorted = ratios.Order().ToArray();
        int n = sorted.Length;
        var (low, high) = QuantileInterval.Ranks(n, 0.5, ConfidenceLevel) ?? (1, n);
        return new PairedRatio(Statistics.Median(sorted), sorted[low - 1], sorted[high - 1], n);
    }
}
