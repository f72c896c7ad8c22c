using Profiler.Core;

namespace Profiler.Tests.Core;

public sealed class PairedDifferenceTests
{
    private readonly int seed = Random.Shared.Next();

    // Pairs of answers where the first alone is right with chance pFirst and the second alone with chance pSecond.
    private static (bool[] First, bool[] Second) Pairs(Random rng, int n, double pBoth, double pFirst, double pSecond)
    {
        var first = new bool[n];
        var second = new bool[n];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            if (u < pBoth) first[i] = second[i] = true;
            else if (u < pBoth + pFirst) first[i] = true;
            else if (u < pBoth + pFirst + pSecond) second[i] = true;
        }
        return (first, second);
    }

    [Fact]
    public void The_difference_is_the_accuracies_difference_and_lies_inside_its_interval()
    {
        var rng = new Random(seed);
        var (a, b) = Pairs(rng, 1 + rng.Next(5000), 0.8, 0.05 * rng.NextDouble(), 0.05 * rng.NextDouble());
        var d = PairedDifference.Of(a, b);
        double expected = 100.0 * (a.Count(x => x) - b.Count(x => x)) / a.Length;
        Assert.Equal(expected, d.Points, 9);
        Assert.True(d.Low <= d.Points && d.Points <= d.High, $"seed {seed}: {d}");
        var reversed = PairedDifference.Of(b, a);
        Assert.Equal(-d.Points, reversed.Points, 9);
        Assert.Equal(-d.High, reversed.Low, 9);
    }

    [Fact]
    public void The_interval_covers_the_true_difference_at_least_as_often_as_it_says()
    {
        var rng = new Random(seed);
        int covered = 0;
        const int trials = 2000;
        for (int t = 0; t < trials; t++)
        {
            double pFirst = 0.01 + 0.04 * rng.NextDouble(), pSecond = 0.01 + 0.04 * rng.NextDouble();
            var (a, b) = Pairs(rng, 2000, 0.85, pFirst, pSecond);
            var d = PairedDifference.Of(a, b);
            double truth = 100 * (pFirst - pSecond);
            if (d.Low <= truth && truth <= d.High) covered++;
        }
        // 95% nominal (simulated here: 95.2%); at least 93.5% of 2,000 allows for the trials' own chance (3 standard
        // errors below 95%). With 400 trials and 92.5% the test failed about once in 150 runs.
        Assert.True(covered >= 0.935 * trials, $"seed {seed}: covered {covered} of {trials}");
    }

    [Fact]
    public void Pairing_is_narrower_than_two_independent_accuracies()
    {
        var rng = new Random(seed);
        var (a, b) = Pairs(rng, 1000, 0.88, 0.02, 0.01);
        var d = PairedDifference.Of(a, b);
        double independent = 1.96 * Math.Sqrt(2 * 0.89 * 0.11 / 1000) * 100;
        Assert.True(d.HalfWidth < independent, $"seed {seed}: paired ±{d.HalfWidth:F2} against independent ±{independent:F2}");
    }

    [Fact]
    public void Identical_answers_differ_by_nothing_and_mismatched_lists_are_refused()
    {
        var answers = Enumerable.Range(0, 50).Select(i => i % 3 == 0).ToArray();
        var d = PairedDifference.Of(answers, answers);
        Assert.Equal(0.0, d.Points);
        Assert.True(d.Low < 0 && d.High > 0, d.ToString());
        Assert.False(d.IsFirm);
        Assert.Throws<ArgumentException>(() => PairedDifference.Of(answers, answers[1..]));
    }
}
