using Profiler.Operators;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// The differentiable operator search. Per step a training batch runs through the model with one
/// <see cref="RelaxedReduction"/> per layer (hard Gumbel-softmax samples of each layer's ratio and operator), and Adam
/// moves the keep and operator logits on the task loss joined with the expected cost of the relaxed plan. The
/// model's weights are frozen unless <see cref="SearchSettings.Finetune"/>, which trains them too (AdamW), so that
/// the model adapts to the reductions it is given. Then <see cref="Discretise"/> turns the parameters into a plan
/// within the budget.
/// </summary>
public static class Searcher
{
    /// <summary>
    /// Runs the search on any <see cref="ISearchableModel"/> (<paramref name="space"/> has its layers and layout, see
    /// <see cref="SearchSpace.For"/>); returns the trained parameters and the per-step history.
    /// </summary>
    public static (SearchParameters Parameters, IReadOnlyList<SearchProgress> History) Run(ISearchableModel model, IPlanCost cost, SearchSettings settings,
        SearchSpace space, Action<SearchProgress>? progress = null, CancellationToken stop = default)
    {
        if (space.Layers != model.Layers)
            throw new ArgumentException($"the search space has {space.Layers} layers, the model {model.Layers}");
        var module = model.Module;
        foreach (var p in module.parameters()) p.requires_grad = settings.Finetune;
        module.eval();
        var parameters = new SearchParameters(space);
        using var optimizer = optim.Adam(parameters.parameters(), settings.LearningRate);
        using var weights = settings.Finetune ? optim.AdamW(module.parameters(), settings.FinetuneLearningRate) : null;
        using var generator = new Generator((ulong)settings.Seed);
        var history = new List<SearchProgress>();
        for (int step = 0; step < settings.Steps && !stop.IsCancellationRequested; step++)
        {
            using var pause = GcPause.Begin();
            using var scope = NewDisposeScope();
            double temperature = settings.TemperatureAt(step);
            var reductions = Enumerable.Range(0, space.Layers)
                .Select(l => (ILayerReduction?)new RelaxedReduction(parameters, l, settings.Score, temperature, generator)).ToArray();
            var (taskLoss, accuracy) = model.TrainingBatch(settings.Seed, step, settings.BatchSize, reductions);
            var expected = cost.Expected(parameters, settings.Score);
            var loss = Loss(settings, taskLoss, expected);
            optimizer.zero_grad();
            weights?.zero_grad();
            loss.backward();
            optimizer.step();
            weights?.step();
            var report = new SearchProgress(step + 1, settings.Steps, loss.item<double>(), taskLoss.item<float>(), accuracy, expected.item<double>(), temperature);
            history.Add(report);
            progress?.Invoke(report);
        }
        foreach (var p in module.parameters()) p.requires_grad = false;
        return (parameters, history);
    }

    /// <summary>
    /// The discrete plan: in each layer the most likely ratio (none where "keep all" wins) with the most likely
    /// operator. If that plan's cost is above <paramref name="target"/>, the layer whose next smaller ratio is the most
    /// likely alternative steps down, until the plan fits or every layer is at its smallest ratio. With
    /// <paramref name="fillBudget"/> (for the hinge loss, which does not reward going below the budget), while a layer
    /// can move to a larger ratio and the plan still fits, the most likely such move is taken: the relaxed plan meets
    /// the budget on average, and its arg-max often lands well below it, leaving tokens unspent; then each reducing
    /// layer keeps the most tokens that still fit below its next larger candidate ratio.
    /// </summary>
    public static ReductionPlan Discretise(SearchParameters parameters, IPlanCost cost, double target, ScoreKind score, bool fillBudget = false)
    {
        var space = parameters.Space;
        var logits = parameters.KeepLogits.detach().data<float>().ToArray();
        var operatorLogits = parameters.OperatorLogits.detach().data<float>().ToArray();
        int k = space.Ratios.Count, o = AlignedReduction.Anchors.Count;
        var choice = Enumerable.Range(0, space.Layers).Select(l => ArgMax(logits.AsSpan(l * k, k))).ToArray();
        var anchors = Enumerable.Range(0, space.Layers).Select(l => AlignedReduction.Anchors[ArgMax(operatorLogits.AsSpan(l * o, o))]).ToArray();
        var plan = Build(space, choice, anchors, score);
        while (cost.Of(plan) > target)
        {
            int best = -1;
            float bestLogit = float.NegativeInfinity;
            for (int l = 0; l < space.Layers; l++)
            {
                if (choice[l] + 1 >= k) continue;
                float next = logits[l * k + choice[l] + 1];
                if (next > bestLogit) (best, bestLogit) = (l, next);
            }
            if (best < 0) break;
            choice[best]++;
            plan = Build(space, choice, anchors, score);
        }
        if (!fillBudget || cost.Of(plan) > target) return plan;
        plan = Fill(space, logits, choice, anchors, cost, target, score, plan);
        return Refine(space, choice, plan, cost, target);
    }

    /// <summary>
    /// Spends what budget the candidate ratios leave: layer by layer, the most tokens that still fit, short of the
    /// next larger candidate ratio (which <see cref="Fill"/> found does not fit or is less likely). Predicted latency
    /// rises with the tokens kept, so a bisection finds it.
    /// </summary>
    private static ReductionPlan Refine(SearchSpace space, int[] choice, ReductionPlan plan, IPlanCost cost, double target)
    {
        int protectedCount = space.Layout.ProtectedCount;
        var steps = plan.Steps.ToList();
        int reducible = space.Layout.Reducible;
        for (int i = 0; i < steps.Count; i++)
        {
            // A reducing layer's choice is past the first candidate, ratio 1: the next larger one always exists.
            int low = steps[i].Keep - protectedCount;
            int high = new TokenLayout(0, reducible, 0).KeepCount(space.Ratios[choice[steps[i].Layer] - 1]) - 1;
            ReductionPlan With(int keep) => new([.. steps.Take(i), steps[i] with { Keep = protectedCount + keep }, .. steps.Skip(i + 1)]);
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (cost.Of(With(middle)) <= target) low = middle;
                else high = middle - 1;
            }
            steps[i] = steps[i] with { Keep = protectedCount + low };
            reducible = low;
        }
        return new ReductionPlan(steps);
    }

    /// <summary>
    /// From a plan that fits, takes the most likely move of one layer to a larger ratio that still fits, until none
    /// does. Every plan it moves to fits, so the cost of the current plan is never asked again.
    /// </summary>
    private static ReductionPlan Fill(SearchSpace space, float[] logits, int[] choice, Core.OperatorKind[] anchors, IPlanCost cost,
        double target, ScoreKind score, ReductionPlan plan)
    {
        int k = space.Ratios.Count;
        while (true)
        {
            ReductionPlan? bestPlan = null;
            (int Layer, int Ratio) best = (-1, -1);
            float bestLogit = float.NegativeInfinity;
            for (int l = 0; l < space.Layers; l++)
            {
                int current = choice[l];
                // Any larger ratio, not only the next: a reduction has a fixed cost, so keeping a few more tokens can
                // cost more than not reducing in that layer at all.
                for (int larger = 0; larger < current; larger++)
                {
                    float logit = logits[l * k + larger];
                    if (logit <= bestLogit) continue;
                    choice[l] = larger;
                    var candidate = Build(space, choice, anchors, score);
                    choice[l] = current;
                    if (cost.Of(candidate) <= target) (best, bestLogit, bestPlan) = ((l, larger), logit, candidate);
                }
            }
            if (bestPlan is null) return plan;
            choice[best.Layer] = best.Ratio;
            plan = bestPlan;
        }
    }

    private static ReductionPlan Build(SearchSpace space, int[] choice, Core.OperatorKind[] anchors, ScoreKind score)
    {
        var steps = new List<PlanStep>();
        int reducible = space.Layout.Reducible;
        for (int l = 0; l < space.Layers; l++)
        {
            if (choice[l] == SearchSpace.NoReduction) continue;
            int keep = new TokenLayout(0, reducible, 0).KeepCount(space.Ratios[choice[l]]);
            if (keep == reducible) continue;
            steps.Add(PlanSteps.Step(l, space.Layout.ProtectedCount + keep, anchors[l], score));
            reducible = keep;
        }
        return new ReductionPlan(steps);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static Tensor Loss(SearchSettings settings, Tensor taskLoss, Tensor expected)
    {
        var task = taskLoss.to(float64);
        if (settings.Loss == SearchLoss.Hinge)
            return task + settings.Lambda * (expected / settings.Target - 1).clamp_min(0);
        // µs or MFLOP: ×1000 of the cost's unit keeps the log positive for any model worth searching.
        return task * settings.FbnetA * (expected * 1000).log().pow(settings.FbnetB);
    }
}
