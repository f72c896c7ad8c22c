using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.Operators.Reduction;

namespace Profiler.Search;

/// <summary>How a search names its reductions in a plan: the aligned anchor of O(α) with the score it ranks by.</summary>
public static class PlanSteps
{
    /// <summary>The variant of an aligned anchor.</summary>
    public const string Aligned = "aligned";

    /// <summary>A plan step for anchor <paramref name="op"/> in <paramref name="layer"/> keeping <paramref name="keep"/> tokens in all.</summary>
    public static PlanStep Step(int layer, int keep, OperatorKind op, ScoreKind score) =>
        new(layer, keep, op.Name(), Aligned, score.Name());
}
