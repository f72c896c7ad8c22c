using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Profiler.Core;

namespace Profiler.Tests.Core;

public sealed class StatisticsTests
{
    [Fact]
    public void Summary_matches_MathNet_on_fresh_random_samples()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        var samples = Enumerable.Range(0, 5 + random.Next(200)).Select(_ => 1000 + 50 * random.NextDouble()).ToArray();
        var s = SampleStatistics.FromNanoseconds(samples);

        // Uniform samples have no Tukey upper outliers.
        Assert.Equal(0, s.OutliersRemoved);
        Assert.Equal(samples.Length, s.Count);
        Assert.Equal(Statistics.Median(samples), s.Median.Nanoseconds, 9);
        Assert.Equal(samples.Average(), s.Mean.Nanoseconds, 9);
        Assert.Equal(Statistics.Quantile(samples, 0.1), s.P10.Nanoseconds, 9);
        Assert.Equal(Statistics.Quantile(samples, 0.9), s.P90.Nanoseconds, 9);
        double t = StudentT.InvCDF(0, 1, samples.Length - 1, 0.9995);
        Assert.Equal(t * Statistics.StandardDeviation(samples) / Math.Sqrt(samples.Length), s.CiHalfWidth.Nanoseconds, 9);
        Assert.True(s.P10 <= s.Median && s.Median <= s.P90, $"seed {seed}");
    }

    [Fact]
    public void Upper_outliers_are_dropped_and_counted_lower_ones_are_kept()
    {
        var samples = new List<double> { 100, 101, 102, 99, 100, 98, 101, 100, 5000, 7000, 50 };
        var s = SampleStatistics.FromNanoseconds(samples);
        Assert.Equal(2, s.OutliersRemoved);
        Assert.Equal(9, s.Count);
        Assert.True(s.P10.Nanoseconds < 99);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_sample_that_is_not_a_latency_is_refused(double bad)
    {
        var e = Assert.Throws<InputException>(() => SampleStatistics.FromNanoseconds([100, bad, 120]));
        Assert.Contains("finite and positive", e.Message);
    }
}
