using MathNet.Numerics.Statistics;

namespace Profiler.Core;

/// <summary>
/// The primary latency of a case: a low quantile (<see cref="Quantile"/>) of the samples as timed, with a
/// distribution-free confidence interval between two order statistics. Noise on a shared machine is one-sided
/// (another process can only slow a case down), so a low order statistic estimates what the device itself costs,
/// while the median mixes in how busy the neighbours were (Chen &amp; Revels 2016). On this machine the p10 of two
/// profiles repeated within ±5% for 99% of cases, the median for 82% (README, "How time is measured").
/// </summary>
/// <param name="Value">The quantile of the samples (MathNet's default, R-8, definition).</param>
/// <param name="Low">Lower end of the <see cref="ConfidenceLevel"/> interval; null while too few samples bound it.</param>
/// <param name="High">Upper end of the interval; null while too few samples bound it.</param>
/// <param name="Count">Samples the estimate is taken over.</param>
public sealed record LatencyEstimate(Latency Value, Latency? Low, Latency? High, int Count)
{
    /// <summary>The quantile taken (0.10: the 10th percentile).</summary>
    public const double Quantile = 0.10;

    /// <summary>Confidence level of [<see cref="Low"/>, <see cref="High"/>].</summary>
    public const double ConfidenceLevel = 0.95;

    /// <summary>The estimator's name as files and tables print it.</summary>
    public const string Name = "p10";

    /// <summary>
    /// The larger of the interval's two sides relative to <see cref="Value"/>; infinity while the interval is
    /// unbounded (at the 95% level a p10 needs 36 samples before its smallest sample bounds it from below).
    /// </summary>
    public double RelativeHalfWidth =>
        Low is { } low && High is { } high && Value.Nanoseconds > 0
            ? Math.Max(Value.Nanoseconds - low.Nanoseconds, high.Nanoseconds - Value.Nanoseconds) / Value.Nanoseconds
            : double.PositiveInfinity;

    /// <summary>The estimate in milliseconds with its interval, e.g. "4.512 (4.498–4.530)"; "(unbounded)" without one.</summary>
    public string Milliseconds()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var interval = Low is { } l && High is { } h ? string.Create(c, $"({l.Milliseconds:F3}–{h.Milliseconds:F3})") : "(unbounded)";
        return string.Create(c, $"{Value.Milliseconds:F3} {interval}");
    }

    /// <summary>Estimates from samples in nanoseconds. Refuses empty input and non-finite or non-positive values.</summary>
    public static LatencyEstimate FromNanoseconds(IReadOnlyList<double> samples)
    {
        var sorted = Checked(samples).Order().ToArray();
        double value = SortedArrayStatistics.Quantile(sorted, Quantile);
        var ranks = QuantileInterval.Ranks(sorted.Length, Quantile, ConfidenceLevel);
        return ranks is { } r
            ? new LatencyEstimate(new Latency(value), new Latency(sorted[r.Lower - 1]), new Latency(sorted[r.Upper - 1]), sorted.Length)
            : new LatencyEstimate(new Latency(value), null, null, sorted.Length);
    }

    /// <summary>
    /// The quantile alone, for a handful of samples (one burst): the statistic a paired share compares round by
    /// round, so that shares and profiles use one estimator.
    /// </summary>
    public static double ValueOf(IReadOnlyList<double> samples) => Statistics.Quantile(Checked(samples), Quantile);

    private static IReadOnlyList<double> Checked(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to estimate from", nameof(samples));
        foreach (var s in samples)
        {
            if (!double.IsFinite(s) || s <= 0)
                throw new InputException($"a timed sample is {s}: latencies must be finite and positive");
        }
        return samples;
    }
}
