using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Tests.Search;

public class LatencyCostTests
{
    [Fact]
    public void The_relaxed_cost_survives_the_dispose_scopes_of_search_steps_and_prices_the_cls_score()
    {
        // A search evaluates the cost inside one dispose scope per step: what the cost holds must outlive each scope.
        using var cost = new LatencyCost(LatencySurrogate.Load(Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json")), Preset.Tiny);
        var space = new SearchSpace(Preset.Tiny.Shape.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        using var parameters = new SearchParameters(space);
        using (no_grad()) parameters.KeepLogits.copy_(randn(parameters.KeepLogits.shape, dtype: parameters.KeepLogits.dtype));
        var values = new Dictionary<ScoreKind, double>();
        for (int step = 0; step < 3; step++)
        {
            foreach (var score in LatencyCost.SearchScores)
            {
                using var scope = NewDisposeScope();
                values[score] = cost.Expected(parameters, score).item<double>();
                Assert.True(double.IsFinite(values[score]) && values[score] > 0, $"step {step}, {score}: {values[score]} ms");
            }
        }
        // Ranking by CLS attention costs the reducing layers their fused attention: never cheaper than by norm.
        Assert.True(values[ScoreKind.Cls] >= values[ScoreKind.Norm], $"cls {values[ScoreKind.Cls]:F3} ms, norm {values[ScoreKind.Norm]:F3} ms");
    }

    [Fact]
    public void Calibration_on_two_measured_forwards_recovers_the_offset_and_the_machine_speed()
    {
        using var cost = new LatencyCost(LatencySurrogate.Load(Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json")), Preset.Tiny);
        var random = new Random();
        double offset = 0.1 + 2 * random.NextDouble(), scale = 0.7 + 0.8 * random.NextDouble();
        var reference = SearchRun.CalibrationPlan(cost, 0.3 + 0.45 * random.NextDouble());
        var other = new ReductionPlan([new(1 + random.Next(3), 3 + random.Next(1, 144), OperatorKind.Prune, Score: ScoreKind.Cls)]);
        double full = cost.Of(ReductionPlan.None), reduced = cost.Of(reference), plan = cost.Of(other);
        Assert.True(cost.Calibrate(Latency.FromMilliseconds(scale * (full + offset)), reference, Latency.FromMilliseconds(scale * (reduced + offset))));
        Assert.Equal(offset, cost.Offset.Milliseconds, 6);
        Assert.Equal(scale, cost.Scale, 6);
        Assert.Equal(scale * (plan + offset), cost.Of(other), 6);
    }

    [Fact]
    public void The_calibration_reference_is_a_prune_by_norm_in_layer_0_predicted_at_the_budget()
    {
        using var cost = new LatencyCost(LatencySurrogate.Load(Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json")), Preset.Tiny);
        var random = new Random();
        double unreduced = 4 + 2 * random.NextDouble();
        Assert.True(cost.Calibrate(Latency.FromMilliseconds(unreduced), SearchRun.FarReference, Latency.FromMilliseconds(0.48 * unreduced)));
        double full = cost.Of(ReductionPlan.None);
        for (int trial = 0; trial < 5; trial++)
        {
            double fraction = 0.5 + 0.25 * random.NextDouble();
            var reference = SearchRun.CalibrationPlan(cost, fraction);
            var step = Assert.Single(reference.Steps);
            Assert.Equal((0, OperatorKind.Prune, ScoreKind.Norm), (step.Layer, step.Operator, step.Score));
            Assert.InRange(cost.Of(reference) / full, fraction - 0.02, fraction);
        }
        // Budgets outside 30–75% are held to it: a reference that keeps nearly every token would measure as the unreduced model.
        var top = SearchRun.CalibrationPlan(cost, 0.99);
        Assert.InRange(cost.Of(top) / full, 0.73, 0.75);
    }

    [Fact]
    public void A_reference_that_is_not_faster_falls_back_to_the_offset_of_the_unreduced_forward()
    {
        using var cost = new LatencyCost(LatencySurrogate.Load(Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json")), Preset.Tiny);
        double unreduced = 3 + 5 * new Random().NextDouble();
        Assert.False(cost.Calibrate(Latency.FromMilliseconds(unreduced), SearchRun.FarReference, Latency.FromMilliseconds(unreduced * 1.01)));
        Assert.Equal(1, cost.Scale);
        Assert.Equal(unreduced, cost.Of(ReductionPlan.None), 9);
    }
}
