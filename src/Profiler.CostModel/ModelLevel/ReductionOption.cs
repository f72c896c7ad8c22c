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

    /// <summary>The option a plan step names; random scores, which the profile has no cost for, are an <see cref="InputException"/>.</summary>
    public static ReductionOption Of(PlanStep step)
    {
        if (step.RandomScore)
            throw new InputException($"plan step at layer {step.Layer}: random scores are an accuracy baseline; the profile has no cost for them");
        var reduction = new ModelKey(step.Operator, step.VariantName);
        if (step.Score is not { } score) return new ReductionOption(reduction, null, false);
        return new ReductionOption(reduction, new ModelKey(OperatorKind.Score, score.Name()), score.NeedsAttentionWeights());
    }

    /// <summary>A readable name, e.g. "prune + score:cls (unfused attention)".</summary>
    public string Name => Reduction.Name + (Score is { } s ? $" + {s.Name}" : "") + (UnfusedAttention ? " (unfused attention)" : "");
}
