using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The search's relaxation of the operator choice: Σ_k w_k·O_k over the four aligned anchors (in the order of
/// <see cref="AlignedReduction.Anchors"/>), with w from <see cref="GumbelSoftmax"/> (soft, or hard straight-through).
/// Every anchor runs, because the straight-through gradient needs each one's output. With a hard sample the
/// weights are exactly one-hot in value, and the result is the chosen anchor's output bit for bit.
/// </summary>
public static class OperatorMixture
{
    /// <summary>Mixes the anchors with <paramref name="weights"/>: 4 (one choice for the batch) or B×4 (one per item).</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, Tensor weights, AlignedOptions? options = null)
    {
        options ??= AlignedOptions.Default;
        int count = AlignedReduction.Anchors.Count;
        if (weights.shape[^1] != count || weights.dim() > 2)
            throw new ArgumentException($"mixture weights must be {count} or B×{count}, got {string.Join("×", weights.shape)}");
        var plan = AlignedPlan.Create(input, ratio);
        if (plan is null) return ReductionResult.Identity(input, options.NeedMixing);
        var w = weights.to(input.Tokens.dtype);
        var terms = new (Tensor, BlockOutput)[count];
        for (int k = 0; k < count; k++)
            terms[k] = (w.select(-1, k), plan.Anchor(AlignedReduction.Anchors[k], options));
        return BlockOutput.Mix(terms).Assemble(input);
    }
}
