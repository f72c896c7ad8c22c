using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Training;

namespace Profiler.Tests.Search;

/// <summary>The sweep's frontier: best fixed operator per target, paired differences, accuracy read off a frontier.</summary>
public sealed class FrontierTests
{
    private readonly int seed = Random.Shared.Next();

    private static AccuracyReport Answers(bool[] correct) =>
        new(correct.Count(c => c) / (double)correct.Length, QuestionTypes.All.ToDictionary(t => t, _ => 0.0), correct.Length, correct);

    private static MethodResult Method(string name, bool[] correct, double share) => new(name, ReductionPlan.None, Answers(correct),
        LatencyEstimate.FromNanoseconds(Enumerable.Repeat(1e6, 40).ToArray()), true, Latency.FromMilliseconds(1), 1, 10, new PairedRatio(share, share - 0.01, share + 0.01, 64));

    // Answers right with chance p, from one shared stream so that methods agree on most questions.
    private static bool[] Correct(Random rng, double[] difficulty, double skill) => difficulty.Select(d => d < skill).ToArray();

    [Fact]
    public void Each_target_pairs_the_search_with_its_most_accurate_fixed_operator()
    {
        var rng = new Random(seed);
        var difficulty = Enumerable.Range(0, 3000).Select(_ => rng.NextDouble()).ToArray();
        var reports = new List<SearchReport>();
        foreach (var target in new[] { 0.45, 0.65, 0.85 })
        {
            double searchSkill = 0.6 + 0.3 * target + 0.02 * rng.NextDouble();
            var methods = new List<MethodResult>
            {
                Method("latency search", Correct(rng, difficulty, searchSkill), target),
                Method("flops search", Correct(rng, difficulty, searchSkill - 0.05), target + 0.1),
                Method("fixed prune", Correct(rng, difficulty, searchSkill - 0.03 * rng.NextDouble()), target + 0.02),
                Method("fixed pool", Correct(rng, difficulty, searchSkill - 0.2), target - 0.02),
            };
            reports.Add(new SearchReport(Method("no reduction", Correct(rng, difficulty, 0.95), 1), methods, Latency.FromMilliseconds(1), 1, "a", "b", [], TargetFraction: target));
        }

        var rows = Frontier.Of(reports);

        Assert.Equal([0.45, 0.65, 0.85], rows.Select(r => r.TargetFraction));
        foreach (var (row, report) in rows.Zip(reports))
        {
            Assert.Equal("fixed prune", row.BestFixed!.Name);
            Assert.Equal("flops search", row.Flops!.Name);
            var d = row.SearchVersusFixed!;
            Assert.Equal(100 * (row.Search.Accuracy.Accuracy - row.BestFixed.Accuracy.Accuracy), d.Points, 9);
            Assert.True(d.Points >= 0 && d.Low <= d.Points, $"seed {seed}: {d}");
        }
    }

    [Fact]
    public void Accuracy_is_read_off_a_frontier_between_its_points_and_not_outside_them()
    {
        var rng = new Random(seed);
        double a = 0.5 + 0.4 * rng.NextDouble(), b = 0.5 + 0.4 * rng.NextDouble();
        bool[] Of(double accuracy) => Enumerable.Range(0, 1000).Select(i => i < accuracy * 1000).ToArray();
        var frontier = new[] { Method("fixed merge", Of(a), 0.5), Method("fixed merge", Of(b), 0.7) };
        double expected = frontier[0].Accuracy.Accuracy + (frontier[1].Accuracy.Accuracy - frontier[0].Accuracy.Accuracy) * 0.25;
        Assert.Equal(expected, Frontier.AccuracyAt(frontier, 0.55)!.Value, 9);
        Assert.Null(Frontier.AccuracyAt(frontier, 0.49));
        Assert.Null(Frontier.AccuracyAt(frontier, 0.71));
    }
}
