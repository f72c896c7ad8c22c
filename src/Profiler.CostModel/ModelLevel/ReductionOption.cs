using Profiler.Core;

namespace Profiler.CostModel.ModelLevel;

/// <summary>A way to reduce inside a layer: a reduction operator, and the score whose cost it brings along.</summary>
/// <param name="Reduction">The reduction's model key.</param>
/// <param name="Score">The score's model key, or null when it needs none the profile prices.</param>
public sealed record ReductionOption(ModelKey Reduction, ModelKey? Score)
{
    /// <summary>The option a plan step names.</summary>
    public static ReductionOption Of(PlanStep step) => new(
        new ModelKey(OperatorNames.Parse(step.Operator), step.Variant),
        step.Score is null ? null : new ModelKey(OperatorKind.Score, step.Score));

    /// <summary>A readable name, e.g. "prune + score:cls".</summary>
    public string Name => Score is null ? Reduction.Name : $"{Reduction.Name} + {Score.Value.Name}";
}
