using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>
/// The fixed-operator baselines at a latency budget: for prune (by token norm, and by attention from CLS or from the
/// last text token, whose unfused attention the latency cost prices), merge and pool, in every layer, the
/// most tokens whose predicted latency fits the budget (<see cref="PlanPolish.FitToBudget"/>); of the layers, the one
/// with the best validation accuracy, among those a measurement keeps when one is given.
/// </summary>
public static class FixedBaselines
{
    /// <summary>The operators compared, with the score each ranks by (null: none needed).</summary>
    public static IReadOnlyList<(OperatorKind Operator, ScoreKind? Score)> Operators { get; } =
        [(OperatorKind.Prune, ScoreKind.Norm), (OperatorKind.Prune, ScoreKind.Cls), (OperatorKind.Prune, ScoreKind.LastText), (OperatorKind.Merge, null), (OperatorKind.Pool, null)];

    /// <summary>
    /// The best plan per operator, or none for an operator that cannot meet the budget anywhere. With
    /// <paramref name="screen"/>, every operator's plans (one per layer that fits by prediction) are first passed to
    /// it together; it returns, for each, the plan to use instead (itself, or one corrected to the budget) or null for
    /// one that cannot meet the budget. A prediction near the budget may still misprice a layer: a prune in layer 1
    /// fitted by prediction measured 63–71% of the unreduced model against a 60% budget, and it cannot shed more
    /// tokens. An operator whose plans are all dropped keeps them.
    /// </summary>
    public static IReadOnlyList<(string Name, ReductionPlan Plan)> Best(VqaModel model, IPlanCost latency, double targetMs,
        int validationCount, int seed, Action<string>? progress = null, Func<IReadOnlyList<ReductionPlan>, IReadOnlyList<ReductionPlan?>>? screen = null)
    {
        var perOperator = Grid(model.Shape.Layers, latency, targetMs).ToList();
        if (screen is not null)
        {
            var screened = screen(perOperator.SelectMany(o => o.Plans).ToList());
            int next = 0;
            for (int i = 0; i < perOperator.Count; i++)
            {
                var (name, plans) = perOperator[i];
                var kept = plans.Select(_ => screened[next++]).OfType<ReductionPlan>().DistinctBy(p => p.Describe()).ToList();
                if (kept.Count > 0) perOperator[i] = (name, kept);
            }
        }
        var results = new List<(string, ReductionPlan)>();
        foreach (var (name, plans) in perOperator)
        {
            ReductionPlan? best = null;
            double bestAccuracy = double.NegativeInfinity;
            foreach (var plan in plans)
            {
                progress?.Invoke($"{name}: {plan.Describe()}");
                double accuracy = Evaluator.Evaluate(model, plan, Split.Validation, seed, validationCount).Accuracy;
                if (accuracy > bestAccuracy) (best, bestAccuracy) = (plan, accuracy);
            }
            results.Add((name, best!));
        }
        return results;
    }

    /// <summary>
    /// Per operator (those that fit anywhere), its one-step plan in each layer that fits by prediction, keeping the
    /// most tokens that fit (a one-step plan's keep count scaled to the budget).
    /// </summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<ReductionPlan> Plans)> Grid(int layers, IPlanCost latency, double targetMs)
    {
        var layout = VqaModel.InputLayout;
        var perOperator = new List<(string Name, IReadOnlyList<ReductionPlan> Plans)>();
        foreach (var (op, score) in Operators)
        {
            var plans = Enumerable.Range(0, layers)
                .Select(layer => PlanPolish.FitToBudget(new ReductionPlan([new PlanStep(layer, layout.ProtectedCount + 1, op, Score: score)]), latency, targetMs))
                .OfType<ReductionPlan>().ToList();
            if (plans.Count > 0) perOperator.Add((Name(op, score), plans));
        }
        return perOperator;
    }

    private static string Name(OperatorKind op, ScoreKind? score) => score is { } s ? $"fixed {op.Name()} by {s.Name()}" : $"fixed {op.Name()}";
}
