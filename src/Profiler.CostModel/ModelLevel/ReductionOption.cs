using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;

namespace Profiler.CostModel.ModelLevel;

/// <summary>
/// A way to reduce inside a layer: a reduction operator, the score whose cost it brings along, and whether that score
/// forces the layer's attention off the fused routine (a score that reads attention probabilities does: the layer
/// then pays the unfused attention, profiled as "attention:weights", instead of the fused one).
/// </summary>
/// <param name="Reduction">The reduction's model key.</param>
/// <param name="Score">The score's model key, or null when the plan names none.</param>
/// <param name="UnfusedAttention">True when the score needs the attention probabilities.</param>
public sealed record ReductionOption(ModelKey Reduction, ModelKey? Score, bool UnfusedAttention)
{
    /// <summary>The model of the attention a weight-reading score forces.</summary>
    public static ModelKey AttentionWithWeights { get; } = new(OperatorKind.Attention, "weights");

    /// <summary>The option a plan step names.</summary>
    public static ReductionOption Of(PlanStep step)
    {
        var reduction = new ModelKey(OperatorNames.Parse(step.Operator), step.Variant);
        if (step.Score is null) return new ReductionOption(reduction, null, false);
        var score = ScoreKinds.Parse(step.Score);
        return new ReductionOption(reduction, new ModelKey(OperatorKind.Score, score.Name()), score.NeedsAttentionWeights());
    }

    /// <summary>A readable name, e.g. "prune + score:cls (unfused attention)".</summary>
    public string Name => Reduction.Name + (Score is { } s ? $" + {s.Name}" : "") + (UnfusedAttention ? " (unfused attention)" : "");
}
