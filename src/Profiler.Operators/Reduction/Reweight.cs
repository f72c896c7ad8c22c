using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Published baseline: adaptive reweighting, a soft prune that keeps every token and scales its size. With θ the
/// score of the ⌈ρ·R⌉-th best reducible token and σ the scores' standard deviation over the block,
/// w = exp(−max(0, θ − score) / (τ·σ)): the kept tokens get exactly 1, the others less the further they fall
/// below θ. Tokens pass through; sizes become w·s (M = I, A = diag w), so the proportional attention that follows
/// (<see cref="AttentionBias.Proportional"/>) sees each token with weight w. Hard weights are {0, 1}: a size of 0
/// adds log 0 = −∞ to that token's logits, which is attention masking of the dropped tokens.
/// </summary>
/// <remarks>
/// τ is in units of σ so that one temperature serves norms (≈√d) and attention probabilities (≈1/N) alike.
/// At ρ = 1, θ is the lowest score and every weight is 1: the identity. The token count stays N; a case's
/// "tokens out" is the keep count ⌈ρ·R⌉ that sets θ.
/// </remarks>
public static class Reweight
{
    /// <summary>Reweights <paramref name="input"/> (which needs scores) at retention ratio ρ and temperature τ &gt; 0.</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, double temperature = 1.0, bool hard = false, bool needMixing = false)
    {
        input.Validated();
        int keep = input.Layout.KeepCount(ratio);
        var scores = input.BlockScores("reweight");
        if (keep == input.Layout.Reducible) return ReductionResult.Identity(input, needMixing);
        var layout = input.Layout;
        var weights = Weights(scores, keep, temperature, hard);
        var full = cat([
            ones(input.Batch, layout.Prefix, dtype: weights.dtype, device: weights.device), weights,
            ones(input.Batch, layout.Suffix, dtype: weights.dtype, device: weights.device)], 1);
        Tensor? mixing = null, sizeMixing = null;
        if (needMixing)
        {
            mixing = eye(layout.Count, dtype: weights.dtype, device: weights.device).expand(input.Batch, layout.Count, layout.Count);
            sizeMixing = diag_embed(full);
        }
        return new ReductionResult(input.Tokens, input.Sizes * full, layout, input.BlockPositions(), mixing, sizeMixing);
    }

    /// <summary>
    /// B×R weights of the block tokens: soft exp(−max(0, θ − score)/(τ·σ)) ∈ (0, 1], or hard {0, 1} (1 for the
    /// <paramref name="keep"/> best). Differentiable in the scores when soft.
    /// </summary>
    public static Tensor Weights(Tensor blockScores, int keep, double temperature, bool hard)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive");
        if (hard)
        {
            var kept = Ranking.Order(blockScores).narrow(1, 0, keep);
            return zeros_like(blockScores).scatter(1, kept, ones_like(kept, dtype: blockScores.dtype));
        }
        var threshold = blockScores.sort(1, descending: true, stable: true).Values.narrow(1, keep - 1, 1);
        // Population σ (one token has σ = 0, not NaN); constant scores give σ = 0 and then every weight is 1.
        var spread = blockScores.std(1, unbiased: false, keepdim: true).clamp_min(finfo(blockScores.dtype).tiny);
        return ((blockScores - threshold).clamp_max(0) / (spread * temperature)).exp();
    }

    /// <summary>FLOPs: σ (4 per token), the weight (4 per token: difference, clamp, divide, exp) and w·s (1).</summary>
    public static double Flops(long tokensIn, long keep, long hidden, long batch = 1) => batch * 9.0 * tokensIn;

    /// <summary>Compulsory bytes: scores and sizes read, sizes written (tokens pass through untouched).</summary>
    public static double Bytes(long tokensIn, long keep, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * batch * 3.0 * tokensIn;
}
