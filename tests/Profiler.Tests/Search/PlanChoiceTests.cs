using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Tests.Search;

/// <summary>The search's last choice among the best plans its polish ran.</summary>
public class PlanChoiceTests
{
    private static ReductionPlan RandomPlan(Random random) =>
        new([new PlanStep(random.Next(2), 4 + random.Next(60), random.Next(2) == 0 ? OperatorKind.Prune : OperatorKind.Merge, Aligned: true, Score: ScoreKind.Cls)]);

    [Fact]
    public void The_best_candidates_single_steps_follow_the_candidates_once_each()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        for (int trial = 0; trial < 50; trial++)
        {
            int steps = 1 + random.Next(3);
            var first = new ReductionPlan(Enumerable.Range(0, steps)
                .Select(i => new PlanStep(i, 4 + 40 * (steps - i) + random.Next(20), random.Next(2) == 0 ? OperatorKind.Prune : OperatorKind.Pool, Score: ScoreKind.Cls)).ToList());
            // The candidates are distinct, as PlanChoice.Top returns them (two random plans drawn alike 1 time in 240).
            var second = RandomPlan(random);
            var third = RandomPlan(random);
            while (third.Describe() == second.Describe()) third = RandomPlan(random);
            var candidates = new List<ReductionPlan> { first, second, third };
            // One of the others may already be one of the first's steps alone.
            if (steps > 1 && random.Next(2) == 0) candidates[2] = new ReductionPlan([first.Steps[^1]]);

            var all = PlanChoice.WithSingleSteps(candidates);

            string where = $"seed {seed}, trial {trial}";
            Assert.True(candidates.Select(p => p.Describe()).SequenceEqual(all.Take(candidates.Count).Select(p => p.Describe())), where);
            Assert.True(all.Count == all.Select(p => p.Describe()).Distinct().Count(), where);
            var expected = steps < 2 ? [] : first.Steps.Select(s => new ReductionPlan([s]).Describe()).ToHashSet();
            Assert.True(expected.SetEquals(all.Skip(candidates.Count).Select(p => p.Describe()).Concat(
                candidates.Where(c => expected.Contains(c.Describe())).Select(c => c.Describe()))), where);
        }
    }

    [Fact]
    public void The_top_plans_are_distinct_and_ranked_by_accuracy()
    {
        var random = new Random();
        var tried = Enumerable.Range(0, 30).Select(_ => (Plan: RandomPlan(random), Accuracy: random.Next(10) / 10.0)).ToList();
        // The same plan run twice (an equal copy) counts once.
        tried.Add((tried[0].Plan with { Steps = tried[0].Plan.Steps.ToList() }, tried[0].Accuracy));
        var top = PlanChoice.Top(tried, 3);
        Assert.Equal(Math.Min(3, tried.Select(t => t.Plan.Describe()).Distinct().Count()), top.Count);
        Assert.Equal(top.Count, top.Select(p => p.Describe()).Distinct().Count());
        double Best(ReductionPlan p) => tried.Where(t => t.Plan.Describe() == p.Describe()).Max(t => t.Accuracy);
        for (int i = 1; i < top.Count; i++) Assert.True(Best(top[i - 1]) >= Best(top[i]));
        // Nothing left out is more accurate than the last one taken.
        Assert.All(tried.Where(t => !top.Any(p => p.Describe() == t.Plan.Describe())), t => Assert.True(t.Accuracy <= Best(top[^1])));
    }

    [Fact]
    public void Of_candidates_as_accurate_as_the_best_within_the_noise_the_most_accurate_not_firmly_over_the_budget_is_picked()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + random.Next(5), count = 200 + random.Next(2000);
            var accuracies = Enumerable.Range(0, n).Select(_ => 0.8 + 0.05 * random.NextDouble()).ToList();
            var use = Enumerable.Range(0, n).Select(_ =>
            {
                double median = 0.95 + 0.1 * random.NextDouble(), half = 0.02 * random.NextDouble();
                return new BudgetUse(median, median - half * random.NextDouble(), median + half * random.NextDouble());
            }).ToList();
            double best = accuracies.Max(), noise = Math.Sqrt(best * (1 - best) / count);
            var close = Enumerable.Range(0, n).Where(i => accuracies[i] >= best - noise).ToList();
            int top = close.MaxBy(i => accuracies[i]);

            Assert.Equal(best, accuracies[PlanChoice.Pick(accuracies, null, count)]);
            int chosen = PlanChoice.Pick(accuracies, use, count);
            Assert.Contains(chosen, close);
            var within = close.Where(i => use[i].Low <= MeasuredBudget.OverBudget).ToList();
            if (within.Count > 0) Assert.True(within.Max(i => accuracies[i]) == accuracies[chosen], $"seed {seed}, trial {trial}");
            else if (close.Any(i => use[i].High < use[top].Low)) Assert.True(use[chosen].High < use[top].Low, $"seed {seed}, trial {trial}");
            else Assert.True(chosen == top, $"seed {seed}, trial {trial}: a median inside the intervals chose another");
        }
    }

    [ShippedCheckpointFact]
    public void Without_training_the_candidate_of_best_validation_accuracy_is_chosen()
    {
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        var random = new Random();
        var candidates = Enumerable.Range(0, 3).Select(_ => RandomPlan(random)).DistinctBy(p => p.Describe()).ToList();
        int seed = random.Next(1000), count = 120;
        var request = new SearchRequest { TestCount = count, TestSeed = seed, ValidationCount = count, Threads = 1, Baselines = false };
        var chosen = PlanChoice.Best(model, candidates, train: false, request);
        double Accuracy(ReductionPlan p) => Evaluator.Evaluate(model, p, Split.Validation, seed, count).Accuracy;
        Assert.Equal(candidates.Max(Accuracy), Accuracy(chosen), 12);
    }
}
