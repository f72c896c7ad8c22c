using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>
/// The fixed-operator baselines at a latency budget: for prune (by token norm, and by attention from CLS or from the
/// last text token, whose unfused attention the latency cost prices), merge and pool, in every layer, the
/// most tokens whose predicted latency fits the budget (<see cref="PlanPolish.FitToBudget"/>); of the layers, the one
/// with the best validation accuracy.
/// </summary>
public static class FixedBaselines
{
    /// <summary>The operators compared, with the score each ranks by (null: none needed).</summary>
    public static IReadOnlyList<(string Operator, string? Score)> Operators { get; } = [("prune", "norm"), ("prune", "cls"), ("prune", "last-text"), ("merge", null), ("pool", null)];

    /// <summary>The best plan per operator, or none for an operator that cannot meet the budget anywhere.</summary>
    public static IReadOnlyList<(string Name, ReductionPlan Plan)> Best(VqaModel model, IPlanCost latency, double targetMs,
        int validationCount, int seed, Action<string>? progress = null)
    {
        var layout = VqaModel.InputLayout;
        var results = new List<(string, ReductionPlan)>();
        foreach (var (op, score) in Operators)
        {
            ReductionPlan? best = null;
            double bestAccuracy = double.NegativeInfinity;
            for (int layer = 0; layer < model.Shape.Layers; layer++)
            {
                // The most tokens that fit: a one-step plan's keep count scaled to the budget.
                var start = new ReductionPlan([new PlanStep(layer, layout.ProtectedCount + 1, op, Score: score)]);
                if (PlanPolish.FitToBudget(start, latency, targetMs) is not { } fitting) continue;
                progress?.Invoke($"{Name(op, score)}: layer {layer}, keep {fitting.Steps[0].Keep}");
                double accuracy = Evaluator.Evaluate(model, fitting, Split.Validation, seed, validationCount).Accuracy;
                if (accuracy > bestAccuracy) (best, bestAccuracy) = (fitting, accuracy);
            }
            if (best is not null) results.Add((Name(op, score), best));
        }
        return results;
    }

    private static string Name(string op, string? score) => score is null ? $"fixed {op}" : $"fixed {op} by {score}";
}
