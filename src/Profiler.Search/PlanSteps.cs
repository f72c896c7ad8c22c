using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;

namespace Profiler.Search;

/// <summary>
/// How a search names its reductions in a plan: an anchor of O(α) with the score it ranks by. The prune anchor is
/// exactly the stand-alone prune (the operators' tests hold this), so it runs, and is priced, as that: the same tokens
/// without the aligned operator's cell bookkeeping. The other anchors differ from their stand-alone operators and
/// run as the aligned variant.
/// </summary>
public static class PlanSteps
{
    /// <summary>A plan step for anchor <paramref name="op"/> in <paramref name="layer"/> keeping <paramref name="keep"/> tokens in all.</summary>
    public static PlanStep Step(int layer, int keep, OperatorKind op, ScoreKind score) =>
        new(layer, keep, op, Aligned: op != OperatorKind.Prune, Score: score);
}
