using Profiler.Operators.Layers;
using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The differentiable keep count. During training the search keeps every token and masks attention
/// (<see cref="AttentionBias.KeepMask"/>, DynamicViT style) with a mask that depends on ρ:
/// m_i = clamp(ρ·R − rank_i, 0, 1) over the reducible block (rank 0 = best score), 1 for protected tokens. So
/// Σ_block m = ρ·R exactly, the best ⌊ρ·R⌋ tokens are fully kept, the next one is kept by the fraction of ρ·R, and
/// ∂m/∂ρ = R on that boundary token: the gradient reaches ρ. It is the softmax-over-candidate-keep-counts estimator
/// (<see cref="FromCandidates"/>) with all counts 0…R as candidates and the two neighbours of ρ·R weighted linearly.
/// The hard mask is the top-⌈ρ·R⌉ indicator, the kept set of prune and of every aligned operator, with the soft
/// mask's gradient (straight-through).
/// </summary>
/// <remarks>
/// Ranks come from the scores and carry no gradient: the scores here are fixed heuristics (CLS attention, norm),
/// not a learned predictor, and reach the loss through the reweight anchor instead.
/// </remarks>
public static class KeepMask
{
    /// <summary>B×N soft mask at ratio ρ (a 0-dim tensor, typically a parameter).</summary>
    public static Tensor Soft(Tensor scores, TokenLayout layout, Tensor ratio)
    {
        var ranks = Ranking.Ranks(Block(scores, layout)).to(scores.dtype);
        var block = (ratio.to(scores.dtype) * layout.Reducible - ranks).clamp(0, 1);
        return Surround(block, layout);
    }

    /// <summary>B×N hard mask: exactly the top-⌈ρ·R⌉ indicator (plus protected tokens), with the soft mask's gradient.</summary>
    public static Tensor Hard(Tensor scores, TokenLayout layout, Tensor ratio)
    {
        int keep = layout.KeepCount(ContinuousReduction.Scalar(ratio));
        var ranks = Ranking.Ranks(Block(scores, layout));
        var hard = Surround(ranks.lt(keep).to(scores.dtype), layout);
        var soft = Soft(scores, layout, ratio);
        return Residual.Add(hard, soft - soft.detach());
    }

    /// <summary>
    /// B×N mask from a distribution over candidate keep counts: m_i = Σ_c p_c·[rank_i &lt; k_c]. With p a hard
    /// Gumbel-softmax sample the value is the top-k indicator of the sampled count.
    /// </summary>
    public static Tensor FromCandidates(Tensor scores, TokenLayout layout, IReadOnlyList<int> keepCounts, Tensor probabilities)
    {
        if (probabilities.dim() != 1 || probabilities.shape[0] != keepCounts.Count)
            throw new ArgumentException($"give one probability per candidate count ({keepCounts.Count})");
        var ranks = Ranking.Ranks(Block(scores, layout));
        var counts = tensor(keepCounts.Select(k => (long)k).ToArray(), device: scores.device);
        var kept = ranks.unsqueeze(-1).lt(counts).to(scores.dtype);
        return Surround(kept.matmul(probabilities.to(scores.dtype)), layout);
    }

    /// <summary>Expected kept block tokens Σ_c p_c·k_c (for the cost term of the loss).</summary>
    public static Tensor ExpectedKeep(IReadOnlyList<int> keepCounts, Tensor probabilities) =>
        tensor(keepCounts.Select(k => (double)k).ToArray(), dtype: probabilities.dtype, device: probabilities.device)
            .dot(probabilities);

    /// <summary>
    /// B×N' straight-through weights for the rows of a pruned or aligned output at ratio ρ: exactly 1 in value, with
    /// the soft mask's gradient at the kept tokens (non-zero on the lowest-ranked kept token). Multiply them into the
    /// output sizes or feed them to <see cref="AttentionBias.KeepMask"/> and the task loss reaches ρ through the
    /// physically reduced model.
    /// </summary>
    public static Tensor KeptRows(Tensor scores, TokenLayout layout, Tensor ratio) =>
        AtKeptRows(Hard(scores, layout, ratio), scores, layout, layout.KeepCount(ContinuousReduction.Scalar(ratio)));

    /// <summary>
    /// B×N' weights for the rows of a pruned or aligned output that keeps <paramref name="keep"/> block tokens: the
    /// mask of <see cref="FromCandidates"/> at the kept tokens. With a hard (straight-through) sample whose count is
    /// <paramref name="keep"/>, every value is exactly 1 and the gradient reaches every candidate's probability.
    /// </summary>
    public static Tensor KeptRowsFromCandidates(Tensor scores, TokenLayout layout, IReadOnlyList<int> keepCounts, Tensor probabilities, int keep) =>
        AtKeptRows(FromCandidates(scores, layout, keepCounts, probabilities), scores, layout, keep);

    private static Tensor AtKeptRows(Tensor mask, Tensor scores, TokenLayout layout, int keep)
    {
        var kept = Ranking.Kept(Block(scores, layout), keep) + layout.Prefix;
        long b = scores.shape[0];
        var prefix = arange(layout.Prefix, dtype: ScalarType.Int64, device: scores.device).unsqueeze(0).expand(b, layout.Prefix);
        var suffix = arange(layout.Prefix + layout.Reducible, layout.Count, dtype: ScalarType.Int64, device: scores.device)
            .unsqueeze(0).expand(b, layout.Suffix);
        return mask.gather(1, cat([prefix, kept, suffix], 1));
    }

    private static Tensor Block(Tensor scores, TokenLayout layout)
    {
        if (scores.dim() != 2 || scores.shape[1] != layout.Count)
            throw new ArgumentException($"scores must be B×{layout.Count}, got {string.Join("×", scores.shape)}");
        return scores.narrow(1, layout.Prefix, layout.Reducible);
    }

    private static Tensor Surround(Tensor block, TokenLayout layout)
    {
        long b = block.shape[0];
        return cat([
            ones(b, layout.Prefix, dtype: block.dtype, device: block.device), block,
            ones(b, layout.Suffix, dtype: block.dtype, device: block.device)], 1);
    }
}
