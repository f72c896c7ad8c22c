using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Published baseline: ToMe's bipartite soft matching. The reducible tokens alternate into sets A (even) and B (odd);
/// each A token finds its most similar B token by cosine similarity of the keys; the r = R − ⌈ρ·R⌉ best-matched A
/// tokens merge into their B partners. Merged tokens are size-weighted means (Σ s·x and Σ s are kept), sizes add,
/// and <see cref="AttentionBias.Proportional"/> gives the attention that follows ToMe's proportional attention.
/// </summary>
/// <remarks>
/// Differences from ToMe's code, on purpose: protected tokens are outside the matching (ToMe protects only the CLS
/// token, with −∞ similarity); survivors keep their original order (ToMe puts the unmerged A tokens first, then B),
/// so positions stay meaningful for rotary embeddings; and one bipartite round merges at most |A| = ⌈R/2⌉ tokens, so
/// below ρ = ½ further rounds run on the merged keys (size-weighted), as ToMe would across layers. The merge is
/// computed once from the original tokens: a size-weighted mean of size-weighted means with summed sizes is the
/// size-weighted mean of the union. Keys receive no gradient (the matching is discrete).
/// </remarks>
public static class Merge
{
    /// <summary>Merges <paramref name="input"/> (which needs <see cref="ReductionInput.Keys"/>) to retention ratio ρ.</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, bool needMixing = false)
    {
        input.Validated();
        int keep = input.Layout.KeepCount(ratio);
        var keys = input.BlockKeys("merge");
        if (keep == input.Layout.Reducible) return ReductionResult.Identity(input, needMixing);
        var cell = Matching(keys, input.Block(input.Sizes), keep);
        return Cells.Mean(input, cell, null, keep, needMixing).Assemble(input);
    }

    /// <summary>
    /// B×R output row of each block token after bipartite rounds down to <paramref name="keep"/> tokens: survivors
    /// (unmerged A and all B tokens) numbered in their original order, merged A tokens sent to their partner's row.
    /// </summary>
    public static Tensor Matching(Tensor blockKeys, Tensor blockSizes, int keep)
    {
        using var _ = no_grad();
        long b = blockKeys.shape[0];
        int current = (int)blockKeys.shape[1];
        var cell = arange(current, dtype: ScalarType.Int64, device: blockKeys.device).unsqueeze(0).expand(b, current);
        var keys = blockKeys;
        var sizes = blockSizes;
        while (current > keep)
        {
            int merges = Math.Min(current - keep, (current + 1) / 2);
            var round = Round(keys, merges);
            int next = current - merges;
            if (next > keep)
            {
                keys = Cells.SumRows(keys * sizes.unsqueeze(-1), round, next) / Cells.Sum(sizes, round, next).clamp_min(finfo(sizes.dtype).tiny).unsqueeze(-1);
                sizes = Cells.Sum(sizes, round, next);
            }
            cell = round.gather(1, cell);
            current = next;
        }
        return cell;
    }

    /// <summary>One bipartite round on B×n keys merging <paramref name="merges"/> A tokens: the B×n row map.</summary>
    private static Tensor Round(Tensor keys, int merges)
    {
        long b = keys.shape[0], n = keys.shape[1];
        var unit = keys / keys.norm(-1, keepdim: true).clamp_min(finfo(keys.dtype).tiny);
        var a = unit.slice(1, 0, n, 2);
        var partners = unit.slice(1, 1, n, 2);
        var (best, partner) = a.matmul(partners.transpose(1, 2)).max(-1);
        var merged = best.sort(1, descending: true, stable: true).Indices.narrow(1, 0, merges);
        var sourcePosition = merged * 2;
        var targetPosition = partner.gather(1, merged) * 2 + 1;
        var survives = ones(b, n, dtype: ScalarType.Int64, device: keys.device)
            .scatter(1, sourcePosition, zeros_like(sourcePosition));
        var row = survives.cumsum(1) - 1;
        return row.scatter(1, sourcePosition, row.gather(1, targetPosition));
    }

    /// <summary>
    /// FLOPs per bipartite round on n tokens: key normalisation (3 per element + 2 per token), the A×B similarity
    /// (2·|A|·|B|·d), and the size-weighted key merge when another round follows; then one cell mean of the tokens.
    /// </summary>
    public static double Flops(long tokensIn, long tokensOut, long hidden, long batch = 1)
    {
        double total = 0;
        long current = tokensIn;
        while (current > tokensOut)
        {
            long merges = Math.Min(current - tokensOut, (current + 1) / 2);
            long a = (current + 1) / 2, bSet = current / 2;
            total += 3.0 * current * hidden + 2.0 * current + 2.0 * a * bSet * hidden;
            long next = current - merges;
            if (next > tokensOut) total += 2.0 * current * hidden + next * hidden + 2.0 * current + next;
            current = next;
        }
        return batch * (total + Pool.CellMeanFlops(tokensIn, tokensOut, hidden));
    }

    /// <summary>Compulsory bytes: tokens, keys and sizes read, merged tokens and sizes written.</summary>
    public static double Bytes(long tokensIn, long tokensOut, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * batch * (tokensIn * (2.0 * hidden + 1) + tokensOut * (hidden + 1.0));
}
