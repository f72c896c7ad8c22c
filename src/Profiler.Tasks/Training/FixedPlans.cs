using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Network;

namespace Profiler.Tasks.Training;

/// <summary>A named fixed plan of the accuracy table.</summary>
public sealed record NamedPlan(string Name, ReductionPlan Plan);

/// <summary>
/// The fixed plans whose accuracy cost the task reports: prune by token norm, prune by CLS attention, merge, pool
/// and prune by random scores, each keeping 50% and 25% of the visual tokens, in layer 1 and in layer 2 (0-based,
/// after that layer's attention).
/// </summary>
public static class FixedPlans
{
    /// <summary>Retention ratios of the visual tokens.</summary>
    public static IReadOnlyList<double> Ratios { get; } = [0.5, 0.25];

    /// <summary>Layers reduced in.</summary>
    public static IReadOnlyList<int> Layers { get; } = [1, 2];

    private static readonly (string Name, OperatorKind Operator, ScoreKind? Score, bool Random)[] Methods =
    [
        ("prune by norm", OperatorKind.Prune, ScoreKind.Norm, false),
        ("prune by CLS attention", OperatorKind.Prune, ScoreKind.Cls, false),
        ("merge", OperatorKind.Merge, null, false),
        ("pool", OperatorKind.Pool, null, false),
        ("prune at random", OperatorKind.Prune, null, true),
    ];

    /// <summary>Every plan of the table, method-major.</summary>
    public static IReadOnlyList<NamedPlan> All()
    {
        var layout = VqaModel.InputLayout;
        var plans = new List<NamedPlan>();
        foreach (var (name, op, score, random) in Methods)
        {
            foreach (var ratio in Ratios)
            {
                foreach (var layer in Layers)
                {
                    int keep = layout.ProtectedCount + layout.KeepCount(ratio);
                    plans.Add(new NamedPlan($"{name}, {ratio:P0} in layer {layer}", new ReductionPlan([new PlanStep(layer, keep, op, Score: score, RandomScore: random)])));
                }
            }
        }
        return plans;
    }
}
