using MathNet.Numerics.Statistics;
using Profiler.Core;

namespace Profiler.Tests.Core;

public sealed class QuantileIntervalTests
{
    /// <summary>P(B = k) for B ~ Binomial(n, q), summed in log space from first principles (no library).</summary>
    private static double[] BinomialMasses(int n, double q)
    {
        var logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        return Enumerable.Range(0, n + 1)
            .Select(k => Math.Exp(logFactorial[n] - logFactorial[k] - logFactorial[n - k] + k * Math.Log(q) + (n - k) * Math.Log(1 - q)))
            .ToArray();
    }

    /// <summary>The ranks by their definition, by summing the masses: brute force against the library's CDF.</summary>
    private static (int Lower, int Upper)? BruteForce(int n, double q, double level)
    {
        var mass = BinomialMasses(n, q);
        double tail = (1 - level) / 2;
        int? lower = null, upper = null;
        for (int l = 1; l <= n; l++)
            if (mass.Take(l).Sum() <= tail) lower = l;          // P(B < l)
        for (int u = n; u >= 1; u--)
            if (mass.Skip(u).Sum() <= tail) upper = u;          // P(B ≥ u)
        return lower is { } lo && upper is { } up ? (lo, up) : null;
    }

    [Fact]
    public void Ranks_match_a_brute_force_binomial_computation_on_random_sizes_quantiles_and_levels()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = 1 + rng.Next(300);
            double q = trial % 3 == 0 ? LatencyEstimate.Quantile : 0.02 + 0.96 * rng.NextDouble();
            double level = new[] { 0.8, 0.9, 0.95, 0.99 }[rng.Next(4)];
            var expected = BruteForce(n, q, level);
            var actual = QuantileInterval.Ranks(n, q, level);
            // Sums of masses and the library's CDF may differ in the last digits exactly at a tail boundary.
            if (expected != actual)
            {
                var mass = BinomialMasses(n, q);
                double tail = (1 - level) / 2;
                Assert.True(Near(mass, tail, expected, actual), $"seed {seed}: n={n} q={q} level={level}: {actual} against {expected}");
            }
        }
    }

    private static bool Near(double[] mass, double tail, (int Lower, int Upper)? a, (int Lower, int Upper)? b)
    {
        // The only allowed difference: a rank whose tail probability equals the bound to within rounding.
        if (a is null || b is null) return false;
        bool lowerClose = a.Value.Lower == b.Value.Lower || Math.Abs(mass.Take(Math.Max(a.Value.Lower, b.Value.Lower)).Sum() - tail) < 1e-12;
        bool upperClose = a.Value.Upper == b.Value.Upper || Math.Abs(mass.Skip(Math.Min(a.Value.Upper, b.Value.Upper)).Sum() - tail) < 1e-12;
        return lowerClose && upperClose;
    }

    [Fact]
    public void A_p10_needs_36_samples_before_its_95_percent_interval_has_a_lower_end()
    {
        // 0.9^35 = 0.02503 > 0.025 ≥ 0.9^36 = 0.02253: the smallest sample falls under the true p10 often enough only from 36 on.
        Assert.Null(QuantileInterval.Ranks(35, 0.10, 0.95));
        Assert.Equal(1, QuantileInterval.Ranks(36, 0.10, 0.95)!.Value.Lower);
    }

    [Fact]
    public void The_interval_covers_the_true_quantile_at_least_as_often_as_its_level_on_skewed_samples()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        // Exponential latencies above a floor of 100: skewed and one-sided, like a shared machine's; true p10 known.
        double truth = 100 - Math.Log(1 - LatencyEstimate.Quantile) * 20;
        int n = 40 + rng.Next(60), covered = 0, trials = 2000;
        for (int t = 0; t < trials; t++)
        {
            var samples = Enumerable.Range(0, n).Select(_ => 100 - Math.Log(1 - rng.NextDouble()) * 20).ToArray();
            var estimate = LatencyEstimate.FromNanoseconds(samples);
            if (estimate.Low!.Value.Nanoseconds <= truth && truth <= estimate.High!.Value.Nanoseconds) covered++;
        }
        // At least the level, less three standard errors of a binomial count at 95%.
        double floor = LatencyEstimate.ConfidenceLevel - 3 * Math.Sqrt(0.95 * 0.05 / trials);
        Assert.True(covered / (double)trials >= floor, $"seed {seed}, n={n}: covered {covered} of {trials}");
    }

    [Fact]
    public void The_estimate_is_MathNets_quantile_and_its_ends_are_order_statistics()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var samples = Enumerable.Range(0, 35 + rng.Next(200)).Select(_ => 1000 * (1 + rng.NextDouble())).ToArray();
        var estimate = LatencyEstimate.FromNanoseconds(samples);
        var sorted = samples.Order().ToArray();
        var (lower, upper) = QuantileInterval.Ranks(samples.Length, LatencyEstimate.Quantile, LatencyEstimate.ConfidenceLevel)!.Value;

        Assert.Equal(Statistics.Quantile(samples, LatencyEstimate.Quantile), estimate.Value.Nanoseconds, 9);
        Assert.Equal(sorted[lower - 1], estimate.Low!.Value.Nanoseconds);
        Assert.Equal(sorted[upper - 1], estimate.High!.Value.Nanoseconds);
        Assert.True(estimate.Low <= estimate.Value && estimate.Value <= estimate.High, $"seed {seed}");
        Assert.Equal(samples.Length, estimate.Count);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    public void A_sample_that_is_not_a_latency_is_refused(double bad) =>
        Assert.Throws<InputException>(() => LatencyEstimate.FromNanoseconds([100, bad, 120]));

    [Fact]
    public void The_median_interval_of_paired_ratios_is_the_same_rule()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var ratios = Enumerable.Range(0, 6 + rng.Next(100)).Select(_ => 0.5 + rng.NextDouble()).ToList();
        var share = PairedRatio.Of(ratios);
        var sorted = ratios.Order().ToArray();
        var (lower, upper) = QuantileInterval.Ranks(ratios.Count, 0.5, PairedRatio.ConfidenceLevel)!.Value;
        Assert.Equal(sorted[lower - 1], share.Low);
        Assert.Equal(sorted[upper - 1], share.High);
        Assert.Equal(ratios.Count + 1, lower + upper);
    }
}
