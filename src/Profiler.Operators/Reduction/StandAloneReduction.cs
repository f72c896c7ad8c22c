using Profiler.Core;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The published stand-alone operators by kind (global top-k prune, bipartite merge, window pool, soft reweight), so
/// that the profiler's cases and the model's plans run the same dispatch.
/// </summary>
public static class StandAloneReduction
{
    /// <summary>Applies <paramref name="op"/> at retention ratio ρ; any other operator is an <see cref="ArgumentException"/>.</summary>
    public static ReductionResult Apply(OperatorKind op, ReductionInput input, double ratio) => op switch
    {
        OperatorKind.Prune => Prune.Apply(input, ratio),
        OperatorKind.Merge => Merge.Apply(input, ratio),
        OperatorKind.Pool => Pool.Apply(input, ratio),
        OperatorKind.Reweight => Reweight.Apply(input, ratio),
        _ => throw new ArgumentException($"{op.Name()} is not a reduction operator (prune, merge, pool, reweight)", nameof(op)),
    };
}
