using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;
using static TorchSharp.torch;

namespace Profiler.Tests.Search;

/// <summary>The discrete polish of a searched plan: its neighbours, the budget fit, and that it never loses accuracy.</summary>
public class PlanPolishTests
{
    private static ReductionPlan RandomPlan(Random random)
    {
        int first = 4 + random.Next(100), second = 1 + random.Next(first - 1);
        return new([new PlanStep(random.Next(2), 3 + first, OperatorKind.Prune, Score: ScoreKind.Cls), new PlanStep(2 + random.Next(2), 3 + second, OperatorKind.Pool, Aligned: true, Score: ScoreKind.Norm)]);
    }

    [Fact]
    public void Fitting_to_the_budget_spends_it_to_within_a_token_per_step()
    {
        var random = new Random();
        var cost = new TokenCost();
        for (int trial = 0; trial < 20; trial++)
        {
            var plan = RandomPlan(random);
            double target = cost.Of(ReductionPlan.None) * (0.3 + 0.6 * random.NextDouble());
            var fitted = PlanPolish.FitToBudget(plan, cost, target);
            if (fitted is null)
            {
                Assert.True(cost.Of(new ReductionPlan([plan.Steps[0] with { Keep = 5 }, plan.Steps[1] with { Keep = 4 }])) > target);
                continue;
            }
            Assert.True(cost.Of(fitted) <= target, $"{fitted.Describe()} costs {cost.Of(fitted)} over {target}");
            Assert.Equal(plan.Steps.Select(s => (s.Layer, s.Operator, s.Score)), fitted.Steps.Select(s => (s.Layer, s.Operator, s.Score)));
            Assert.True(fitted.Steps[1].Keep < fitted.Steps[0].Keep, fitted.Describe());
            // Two more tokens in every step no longer fit (rounding the common factor may leave one), unless the
            // first step is already at its ceiling.
            var grown = new ReductionPlan(fitted.Steps.Select(s => s with { Keep = s.Keep + 2 }).ToList());
            if (fitted.Steps[0].Keep + 2 < VqaModel.InputLayout.Count - 2) Assert.True(cost.Of(grown) > target, $"{fitted.Describe()} leaves budget unspent under {target}");
        }
    }

    [Fact]
    public void A_correction_by_the_measured_miss_lands_a_plan_whose_cost_is_mispriced_by_a_constant_on_its_target()
    {
        var random = new Random();
        var cost = new TokenCost();
        double unreduced = cost.Of(ReductionPlan.None);
        for (int trial = 0; trial < 20; trial++)
        {
            // The device prices every reduced plan a fixed share of the unreduced model over the prediction.
            double miss = 0.02 + 0.1 * random.NextDouble(), target = 0.45 + 0.3 * random.NextDouble();
            double Measured(ReductionPlan p) => cost.Of(p) / unreduced + miss;
            var plan = PlanPolish.FitToBudget(RandomPlan(random), cost, target * unreduced)!;
            Assert.True(Measured(plan) > target);
            var corrected = PlanPolish.Correct(plan, cost, Measured(plan), target);
            if (corrected is null)
            {
                Assert.True(Measured(PlanPolish.Scale(plan, 0)) > target);
                continue;
            }
            Assert.True(Measured(corrected) <= target + 1e-9, $"{corrected.Describe()} measures {Measured(corrected):P2} over {target:P2}");
            var more = new ReductionPlan(corrected.Steps.Select(s => s with { Keep = s.Keep + 2 }).ToList());
            Assert.True(Measured(more) > target, $"{corrected.Describe()} leaves budget unspent under {target:P2}");
            // A plan measured under its prediction may grow back.
            var grown = PlanPolish.Correct(corrected, cost, Measured(corrected) - 2 * miss, target)!;
            Assert.True(grown.Steps[0].Keep >= corrected.Steps[0].Keep, grown.Describe());
        }
    }

    [Fact]
    public void Scaling_by_one_keeps_a_plan_and_any_factor_keeps_it_valid()
    {
        var random = new Random();
        int p = VqaModel.InputLayout.ProtectedCount;
        for (int trial = 0; trial < 20; trial++)
        {
            var plan = RandomPlan(random);
            Assert.Equal(plan.Steps, PlanPolish.Scale(plan, 1).Steps);
            var scaled = PlanPolish.Scale(plan, random.NextDouble());
            Assert.True(scaled.Steps[1].Keep < scaled.Steps[0].Keep && scaled.Steps[1].Keep > p, scaled.Describe());
            Assert.All(scaled.Steps.Zip(plan.Steps), t => Assert.True(t.First.Keep <= t.Second.Keep, scaled.Describe()));
        }
    }

    [Fact]
    public void A_plan_has_every_single_move_as_a_neighbour()
    {
        var random = new Random();
        var scores = LatencyCost.SearchScores;
        int p = VqaModel.InputLayout.ProtectedCount;
        for (int trial = 0; trial < 20; trial++)
        {
            var plan = RandomPlan(random);
            var last = plan.Steps[^1];
            var neighbours = PlanPolish.Neighbours(plan, scores, 4).ToList();
            // A prune by each score at each split ratio in the layer after the last step, where the model has one.
            var added = neighbours.Where(n => n.Steps.Count == 3).ToList();
            Assert.Equal(last.Layer + 1 < 4 ? scores.Count * PlanPolish.SplitRatios.Count : 0, added.Count);
            Assert.All(added, n =>
            {
                Assert.Equal(plan.Steps, n.Steps.Take(2));
                Assert.Equal((last.Layer + 1, OperatorKind.Prune), (n.Steps[2].Layer, n.Steps[2].Operator));
                Assert.True(n.Steps[2].Keep > p && n.Steps[2].Keep <= last.Keep, n.Describe());
            });
            if (added.Count > 0) Assert.Equal(scores.OrderBy(s => s), added.Select(n => n.Steps[2].Score!.Value).Distinct().OrderBy(s => s));
            // The last step keeping twice or half as many, never as many as the step before it.
            var moved = neighbours.Where(n => n.Steps.Count == 2 && n.Steps[0] == plan.Steps[0] && n.Steps[1] == last with { Keep = n.Steps[1].Keep }
                && n.Steps[1].Keep != last.Keep).ToList();
            Assert.InRange(moved.Count, last.Keep - p >= 2 ? 1 : 0, 2);
            Assert.All(moved, n => Assert.True(n.Steps[1].Keep < n.Steps[0].Keep && n.Steps[1].Keep > p, n.Describe()));
            // Per step besides: three other anchors, the other scores, and dropping it; each changes one step.
            Assert.Equal(2 * (3 + (scores.Count - 1) + 1) + added.Count + moved.Count, neighbours.Count);
            Assert.All(neighbours.Except(added), n => Assert.True(n.Steps.Count(s => !plan.Steps.Contains(s)) <= 1, n.Describe()));
            Assert.Contains(neighbours, n => n.Steps.Count == 1);
        }
    }

    [Fact]
    public void A_one_step_plan_can_split_into_two_and_a_plan_in_the_last_layer_cannot_grow()
    {
        var random = new Random();
        int p = VqaModel.InputLayout.ProtectedCount, layers = 2 + random.Next(6), keep = p + 2 + random.Next(140);
        var scores = LatencyCost.SearchScores;
        var inner = new ReductionPlan([new PlanStep(random.Next(layers - 1), keep, OperatorKind.Prune, Score: ScoreKind.Cls)]);
        var split = PlanPolish.Neighbours(inner, scores, layers).Where(n => n.Steps.Count == 2).ToList();
        Assert.Equal(scores.Count * PlanPolish.SplitRatios.Count, split.Count);
        Assert.All(split, n => Assert.True(n.Steps[1].Keep < n.Steps[0].Keep && n.Steps[1].Layer == n.Steps[0].Layer + 1, n.Describe()));
        var deepest = new ReductionPlan([inner.Steps[0] with { Layer = layers - 1 }]);
        Assert.DoesNotContain(PlanPolish.Neighbours(deepest, scores, layers), n => n.Steps.Count > 1);
    }

    [ShippedCheckpointFact]
    public void The_polish_fits_the_budget_and_never_loses_validation_accuracy()
    {
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        var random = new Random();
        var cost = new TokenCost();
        var start = PlanPolish.FitToBudget(RandomPlan(random), cost, 0.6 * cost.Of(ReductionPlan.None))!;
        int seed = random.Next(1000), count = 150;
        double startAccuracy = Evaluator.Evaluate(model, start, Split.Validation, seed, count).Accuracy;
        var tried = new List<(ReductionPlan Plan, double Accuracy)>();
        var polished = PlanPolish.Run(model, start, startAccuracy, cost, 0.6 * cost.Of(ReductionPlan.None), LatencyCost.SearchScores, count, seed, tried: tried);
        Assert.True(cost.Of(polished) <= 0.6 * cost.Of(ReductionPlan.None));
        double polishedAccuracy = Evaluator.Evaluate(model, polished, Split.Validation, seed, count).Accuracy;
        Assert.True(polishedAccuracy >= startAccuracy);
        // Every plan it ran is reported, the start first, each within the budget; none beat the polished plan.
        Assert.Equal(start, tried[0].Plan);
        Assert.True(tried.Count > 1);
        Assert.All(tried, t => Assert.True(cost.Of(t.Plan) <= 0.6 * cost.Of(ReductionPlan.None), t.Plan.Describe()));
        Assert.Equal(polishedAccuracy, tried.Max(t => t.Accuracy), 12);
    }
}
