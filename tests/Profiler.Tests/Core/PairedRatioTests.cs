using MathNet.Numerics.Statistics;
using Profiler.Core;

namespace Profiler.Tests.Core;

public sealed class PairedRatioTests
{
    [Fact]
    public void The_median_and_its_interval_come_from_the_order_statistics_of_fresh_random_ratios()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        var ratios = Enumerable.Range(0, 20).Select(_ => 0.5 + random.NextDouble()).ToArray();
        var sorted = ratios.Order().ToArray();
        var r = PairedRatio.Of(ratios);

        Assert.Equal(Statistics.Median(ratios), r.Median, 12);
        // n = 20: P(B ≤ 5) = 0.021 ≤ 0.025 < P(B ≤ 6) = 0.058 for B ~ Bin(20, ½), so the 95% interval is [x(6), x(15)].
        Assert.Equal(sorted[5], r.Low);
        Assert.Equal(sorted[14], r.High);
        Assert.Equal(20, r.Rounds);
        Assert.True(r.Low <= r.Median && r.Median <= r.High, $"seed {seed}");
    }

    [Fact]
    public void Ten_rounds_give_the_textbook_interval_and_five_give_the_whole_range()
    {
        var ten = Enumerable.Range(1, 10).Select(i => (double)i).Reverse().ToArray();
        var r = PairedRatio.Of(ten);
        Assert.Equal((2.0, 9.0), (r.Low, r.High));

        var five = new[] { 3.0, 1.0, 2.0, 5.0, 4.0 };
        r = PairedRatio.Of(five);
        Assert.Equal((1.0, 3.0, 5.0), (r.Low, r.Median, r.High));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void A_ratio_that_is_not_finite_and_positive_is_refused(double bad) =>
        Assert.Throws<InputException>(() => PairedRatio.Of([1.0, bad, 1.1]));
}
