using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The continuous operator O(α), α ∈ [0, 1]: the path through the aligned anchors prune (0), reweight (0.25),
/// pool (0.5) and merge (1). Between two neighbouring anchors it is their convex combination,
/// O(α) = (1 − t)·O_lower + t·O_upper with t the position of α in the segment, applied to tokens, sizes,
/// positions and the matrices M and A alike. That keeps the anchors exact (t = 0 or 1 gives one anchor bit for
/// bit), makes O continuous and piecewise linear in α, keeps M row-stochastic (both anchors' rows sum to 1 over the
/// same kept token's neighbourhood), and gives dO/dα = (O_upper − O_lower)/width, which is non-zero wherever the
/// neighbouring anchors differ. Inside prune→pool this is the DESIGN.md chain (the kept token alone → score
/// weights inside spatial cells → uniform spatial cells); pool→merge moves the cells from space to key similarity.
/// </summary>
/// <remarks>
/// The hat weights of <see cref="AnchorWeights"/> put O(α) on the same footing as the Gumbel-softmax mixture
/// (<see cref="OperatorMixture"/>): O(α) is the mixture along one edge path of the simplex, so an expected cost is
/// Σ_k h_k(α)·cost_k. Only the segment's two anchors are computed.
/// </remarks>
public static class ContinuousReduction
{
    /// <summary>O(α) for a fixed α; at an anchor only that anchor runs.</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, double alpha, AlignedOptions? options = null)
    {
        var (lower, upper) = Segment(alpha);
        foreach (var k in new[] { lower, upper })
        {
            if (alpha == AlignedReduction.AnchorAlphas[k])
                return AlignedReduction.Apply(AlignedReduction.Anchors[k], input, ratio, options);
        }
        return Apply(input, ratio, tensor(alpha).to(input.Tokens.dtype, input.Tokens.device), options);
    }

    /// <summary>O(α) with α a 0-dim tensor, differentiable in α (and in the tokens, sizes and scores).</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, Tensor alpha, AlignedOptions? options = null)
    {
        options ??= AlignedOptions.Default;
        var (lower, upper) = Segment(Scalar(alpha));
        var plan = AlignedPlan.Create(input, ratio);
        if (plan is null) return ReductionResult.Identity(input, options.NeedMixing);
        var t = Position(alpha.to(input.Tokens.dtype), lower, upper);
        return BlockOutput.Mix([
            (1 - t, plan.Anchor(AlignedReduction.Anchors[lower], options)),
            (t, plan.Anchor(AlignedReduction.Anchors[upper], options)),
        ]).Assemble(input);
    }

    /// <summary>
    /// The four hat weights h_k(α) over prune, reweight, pool, merge: 1 − t and t on the segment's two anchors, 0
    /// elsewhere. Differentiable in α; sums to 1.
    /// </summary>
    public static Tensor AnchorWeights(Tensor alpha)
    {
        var (lower, upper) = Segment(Scalar(alpha));
        var t = Position(alpha, lower, upper);
        var zero = zeros_like(t);
        var weights = new Tensor[AlignedReduction.Anchors.Count];
        for (int k = 0; k < weights.Length; k++)
            weights[k] = k == lower ? 1 - t : k == upper ? t : zero;
        return stack(weights);
    }

    /// <summary>
    /// Indices of the anchors around α: the segment [α_lower, α_upper) that holds it, the last one closed at 1.
    /// </summary>
    public static (int Lower, int Upper) Segment(double alpha)
    {
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie in [0, 1]");
        var alphas = AlignedReduction.AnchorAlphas;
        int lower = 0;
        while (lower < alphas.Count - 2 && alpha >= alphas[lower + 1]) lower++;
        return (lower, lower + 1);
    }

    /// <summary>The value of a 0-dim tensor of any floating type.</summary>
    internal static double Scalar(Tensor value) => value.to(ScalarType.Float64).item<double>();

    private static Tensor Position(Tensor alpha, int lower, int upper)
    {
        var alphas = AlignedReduction.AnchorAlphas;
        return (alpha - alphas[lower]) / (alphas[upper] - alphas[lower]);
    }
}
