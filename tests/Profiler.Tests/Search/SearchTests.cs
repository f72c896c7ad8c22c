using Profiler.Core;
using Profiler.Operators;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Tests.Search;

/// <summary>The search on a fake cost, discretisation, and FLOPs accounting.</summary>
public class SearchTests
{
    private static readonly ModelShape Small = new(32, 2, 64, 3);

    /// <summary>A cost where every anchor but <see cref="Free"/> costs a lot whenever a layer reduces, and tokens cost a little.</summary>
    private sealed class FakeCost(OperatorKind free) : IPlanCost
    {
        public OperatorKind Free { get; } = free;

        public string Name => "fake";

        public string Unit => "units";

        public Tensor Expected(SearchParameters parameters, ScoreKind score)
        {
            var (attention, mlp) = TokenFlow.Expected(parameters);
            var prices = tensor(AlignedReduction.Anchors.Select(op => op == Free ? 0.0 : 50.0).ToArray(), dtype: float64);
            return attention.sum() + mlp.sum() + TokenFlow.AnchorWeights(parameters).matmul(prices).sum();
        }

        public double Of(ReductionPlan plan)
        {
            var (a, m) = plan.Tokens(Small.Layers, VqaModel.InputLayout.Count, VqaModel.InputLayout.ProtectedCount);
            return a.Sum() + m.Sum() + plan.Steps.Sum(s => s.Operator == Free ? 0 : 50);
        }
    }

    [Theory]
    [InlineData(OperatorKind.Prune)]
    [InlineData(OperatorKind.Merge)]
    public void The_search_picks_the_free_operator(OperatorKind free)
    {
        manual_seed(Random.Shared.Next());
        using var model = new VqaModel(Small);
        var cost = new FakeCost(free);
        var space = new SearchSpace(Small.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        var settings = new SearchSettings { Target = 200, Lambda = 5, Steps = 40, BatchSize = 4, LearningRate = 0.1, Seed = Random.Shared.Next() };
        var (parameters, history) = Searcher.Run(model, cost, settings, space);
        using var _ = parameters;
        var plan = Searcher.Discretise(parameters, cost, 200, ScoreKind.Norm);
        Assert.NotEmpty(plan.Steps);
        Assert.All(plan.Steps, s => Assert.Equal(free, s.Operator));
        Assert.True(history[^1].ExpectedCost < history[0].ExpectedCost, $"expected cost went from {history[0].ExpectedCost} to {history[^1].ExpectedCost}");
    }

    [ShippedCheckpointFact]
    public void Without_cost_pressure_the_trained_model_keeps_every_token()
    {
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        var cost = new FakeCost(OperatorKind.Prune);
        var space = new SearchSpace(model.Shape.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        // With λ = 0 only the task loss moves the logits. Where tokens are redundant (late layers) its gradient on the
        // keep logits is noise, so the check is that nothing pushes toward reducing: over 30 steps at a small rate the
        // keep-all choice, which starts one logit ahead, stays ahead in every layer.
        var settings = new SearchSettings { Target = 1, Lambda = 0, Steps = 30, BatchSize = 16, LearningRate = 0.02, Seed = Random.Shared.Next() };
        var (parameters, _) = Searcher.Run(model, cost, settings, space);
        using var _p = parameters;
        Assert.Empty(Searcher.Discretise(parameters, cost, double.PositiveInfinity, ScoreKind.Norm).Steps);
    }

    [Fact]
    public void Discretising_meets_a_reachable_budget_and_otherwise_reduces_all_it_can()
    {
        var space = new SearchSpace(Small.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        using var parameters = new SearchParameters(space);
        var cost = new FakeCost(OperatorKind.Pool);
        double unreduced = cost.Of(ReductionPlan.None);
        // Every layer at the smallest ratio is the cheapest plan discretisation can reach.
        var floorPlan = Searcher.Discretise(parameters, cost, 0, ScoreKind.Norm);
        double floor = cost.Of(floorPlan);
        Assert.Equal(Small.Layers, floorPlan.Steps.Count);
        double target = floor + Random.Shared.NextDouble() * (unreduced - floor);
        var plan = Searcher.Discretise(parameters, cost, target, ScoreKind.Norm);
        Assert.True(cost.Of(plan) <= target, $"plan costs {cost.Of(plan)}, budget {target}");
        plan.Tokens(Small.Layers, VqaModel.InputLayout.Count, VqaModel.InputLayout.ProtectedCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_a_finetuning_search_changes_the_models_weights(bool finetune)
    {
        manual_seed(Random.Shared.Next());
        using var model = new VqaModel(Small);
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        var space = new SearchSpace(Small.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        var settings = new SearchSettings { Target = 200, Steps = 3, BatchSize = 4, Seed = Random.Shared.Next(), Finetune = finetune, FinetuneLearningRate = 1e-2 };
        var (parameters, _) = Searcher.Run(model, new FakeCost(OperatorKind.Pool), settings, space);
        parameters.Dispose();
        bool changed = model.parameters().Zip(before).Any(pair => !pair.First.allclose(pair.Second, rtol: 0, atol: 0));
        Assert.Equal(finetune, changed);
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Finetuning_on_a_plan_lowers_its_loss_and_leaves_the_weights_frozen_after()
    {
        int seed = Random.Shared.Next();
        manual_seed(seed);
        using var model = new VqaModel(Small);
        var plan = new ReductionPlan([PlanSteps.Step(0, VqaModel.InputLayout.ProtectedCount + 36, OperatorKind.Prune, ScoreKind.Cls)]);
        double Loss()
        {
            using var scope = NewDisposeScope();
            var reductions = FixedReduction.ForPlan(plan, Small.Layers, 0);
            using var batch = Batch.From(SampleGenerator.Generate(Split.Train, 1, 0, 64));
            double loss = nn.functional.cross_entropy(model.Forward(batch.Patches, batch.Words, reductions), batch.Answers).item<float>();
            foreach (var r in reductions) r?.Dispose();
            return loss;
        }
        double before = Loss();
        // Trained on the same questions it is scored on: a few steps must fit them better.
        PlanFinetune.Run(model, plan, steps: 20, batchSize: 64, learningRate: 3e-3, seed: 1);
        double after = Loss();
        Assert.True(after < before, $"seed {seed}: loss {before:F4} before fine-tuning on the plan, {after:F4} after");
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(model.training);
    }

    [Fact]
    public void Filling_the_budget_spends_it_without_exceeding_it()
    {
        var space = new SearchSpace(Small.Layers, VqaModel.InputLayout, SearchSpace.DefaultRatios);
        using var parameters = new SearchParameters(space);
        using (no_grad()) parameters.KeepLogits.copy_(randn(parameters.KeepLogits.shape, dtype: parameters.KeepLogits.dtype) * 3);
        var cost = new FakeCost(OperatorKind.Pool);
        double unreduced = cost.Of(ReductionPlan.None);
        double floor = cost.Of(Searcher.Discretise(parameters, cost, 0, ScoreKind.Norm));
        double target = floor + Random.Shared.NextDouble() * (unreduced - floor);
        var argMax = Searcher.Discretise(parameters, cost, target, ScoreKind.Norm);
        var filled = Searcher.Discretise(parameters, cost, target, ScoreKind.Norm, fillBudget: true);
        Assert.True(cost.Of(filled) <= target, $"filled plan costs {cost.Of(filled)}, budget {target}");
        // Filling only ever keeps more tokens: in every layer at least as many as the arg-max plan.
        var layout = VqaModel.InputLayout;
        var (before, _) = argMax.Tokens(Small.Layers, layout.Count, layout.ProtectedCount);
        var (after, _) = filled.Tokens(Small.Layers, layout.Count, layout.ProtectedCount);
        Assert.All(Enumerable.Range(0, Small.Layers), l => Assert.True(after[l] >= before[l], $"layer {l}: {before[l]} tokens before filling, {after[l]} after"));
        // Without a budget every token is kept.
        Assert.Empty(Searcher.Discretise(parameters, cost, double.PositiveInfinity, ScoreKind.Norm, fillBudget: true).Steps);
    }

    [Fact]
    public void A_plan_file_round_trips()
    {
        var plan = new ReductionPlan([PlanSteps.Step(1, 75, OperatorKind.Merge, ScoreKind.Norm), PlanSteps.Step(2, 40, OperatorKind.Prune, ScoreKind.Cls)]);
        var json = System.Text.Json.JsonSerializer.Serialize(plan.Steps, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal(plan.Steps, ReductionPlan.Parse("plan.json", json).Steps);
    }

    [Fact]
    public void A_plans_flops_are_the_operators_own_counts()
    {
        var preset = Preset.Tiny;
        var s = preset.Shape;
        int n = preset.VisualTokens + preset.ProtectedTokens, p = preset.ProtectedTokens;
        int keep = p + Random.Shared.Next(10, preset.VisualTokens);
        int layer = Random.Shared.Next(s.Layers);
        var plan = new ReductionPlan([PlanSteps.Step(layer, keep, OperatorKind.Merge, ScoreKind.Cls)]);
        double expected = 0;
        for (int l = 0; l < s.Layers; l++)
        {
            int a = l <= layer ? n : keep, m = l < layer ? n : keep;
            OperatorCase Case(OperatorKind op, int tokens) => new(op, tokens, tokens, s.Hidden, s.Heads, s.MlpSize, 1, "float32");
            expected += OperatorCosts.Flops(Case(OperatorKind.Attention, a)) + OperatorCosts.Flops(Case(OperatorKind.LayerNorm, a)) + (double)a * s.Hidden
                + OperatorCosts.Flops(Case(OperatorKind.Mlp, m)) + OperatorCosts.Flops(Case(OperatorKind.LayerNorm, m)) + (double)m * s.Hidden;
        }
        expected += OperatorCosts.Flops(new OperatorCase(OperatorKind.Merge, n - p, keep - p, s.Hidden, s.Heads, s.MlpSize, 1, "float32", "aligned"));
        expected += OperatorCosts.Flops(new OperatorCase(OperatorKind.Score, n, n, s.Hidden, s.Heads, s.MlpSize, 1, "float32", "cls"));
        double counted = new FlopsCost(preset).Of(plan) * 1e9;
        Assert.True(Math.Abs(counted / expected - 1) < 1e-12, $"counted {counted}, operators say {expected}");
        // The unreduced model is the sum of its blocks.
        double blocks = s.Layers * OperatorCosts.Flops(new OperatorCase(OperatorKind.Block, n, n, s.Hidden, s.Heads, s.MlpSize, 1, "float32"));
        Assert.True(Math.Abs(new FlopsCost(preset).Of(ReductionPlan.None) * 1e9 / blocks - 1) < 1e-12);
    }

    [Fact]
    public void Expected_flops_of_a_certain_plan_match_its_count()
    {
        var space = new SearchSpace(Preset.Tiny.Shape.Layers, VqaModel.InputLayout, [1.0, 0.5]);
        using var parameters = new SearchParameters(space, keepAllBias: -40);
        var cost = new FlopsCost(Preset.Tiny);
        // Every layer halves its tokens with near certainty; the dense parts follow the same counts (without the ceiling).
        double expected = cost.Expected(parameters, ScoreKind.Norm).item<double>();
        var plan = Searcher.Discretise(parameters, cost, double.PositiveInfinity, ScoreKind.Norm);
        Assert.Equal(space.Layers, plan.Steps.Count);
        Assert.True(Math.Abs(expected / cost.Of(plan) - 1) < 0.02, $"expected {expected} GFLOP, plan {cost.Of(plan)} GFLOP");
    }
}
