using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Profiler.Core;

/// <summary>
/// Summary of timed samples after upper outliers are dropped by Tukey's fence (Q3 + 1.5·IQR). Lower values are
/// never dropped: on a shared machine a fast sample is real, a slow one may be another process.
/// </summary>
/// <param name="Median">Median.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="P10">10th percentile.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="Q1">First quartile.</param>
/// <param name="Q3">Third quartile.</param>
/// <param name="StdDev">Sample standard deviation (zero for one sample).</param>
/// <param name="CiHalfWidth">Half-width of the 99.9% confidence interval of the mean (Student t).</param>
/// <param name="Count">Samples kept.</param>
/// <param name="OutliersRemoved">Upper outliers dropped.</param>
public sealed record SampleStatistics(
    Latency Median, Latency Mean, Latency P10, Latency P90, Latency Q1, Latency Q3, Latency StdDev,
    Latency CiHalfWidth, int Count, int OutliersRemoved)
{
    /// <summary>Confidence level of <see cref="CiHalfWidth"/>.</summary>
    public const double ConfidenceLevel = 0.999;

    /// <summary>Interquartile range.</summary>
    public Latency Iqr => new(Q3.Nanoseconds - Q1.Nanoseconds);

    /// <summary>CI half-width relative to the mean; infinity with fewer than two samples.</summary>
    public double RelativeCiHalfWidth => Count < 2 || Mean.Nanoseconds <= 0 ? double.PositiveInfinity : CiHalfWidth.Nanoseconds / Mean.Nanoseconds;

    /// <summary>Summarises samples given in nanoseconds. Refuses empty input and non-finite or non-positive values.</summary>
    public static SampleStatistics FromNanoseconds(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to summarise", nameof(samples));
        foreach (var s in samples)
        {
            if (!double.IsFinite(s) || s <= 0)
                throw new InputException($"a timed sample is {s}: latencies must be finite and positive");
        }
        var all = samples.ToArray();
        double q1All = Statistics.Quantile(all, 0.25), q3All = Statistics.Quantile(all, 0.75);
        double fence = q3All + 1.5 * (q3All - q1All);
        var kept = all.Where(s => s <= fence).ToArray();
        int n = kept.Length;
        double mean = Statistics.Mean(kept);
        double sd = n > 1 ? Statistics.StandardDeviation(kept) : 0;
        double ci = n > 1 ? StudentT.InvCDF(0, 1, n - 1, 1 - (1 - ConfidenceLevel) / 2) * sd / Math.Sqrt(n) : double.PositiveInfinity;
        return new SampleStatistics(
            new Latency(Statistics.Median(kept)), new Latency(mean),
            new Latency(Statistics.Quantile(kept, 0.10)), new Latency(Statistics.Quantile(kept, 0.90)),
            new Latency(Statistics.Quantile(kept, 0.25)), new Latency(Statistics.Quantile(kept, 0.75)),
            new Latency(sd), new Latency(ci), n, all.Length - n);
    }
}
