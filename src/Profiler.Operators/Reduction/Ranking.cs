using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Ranking of the reducible tokens by score. Every operator that keeps "the top ⌈ρ·R⌉" uses this one ranking, so
/// that prune, the aligned operators and the keep masks agree on which tokens are kept. The sort is stable and
/// descending: among equal scores the earlier token ranks higher, so constant scores keep the first tokens.
/// </summary>
internal static class Ranking
{
    /// <summary>B×R block positions from best to worst.</summary>
    public static Tensor Order(Tensor blockScores)
    {
        using var _ = no_grad();
        return blockScores.sort(1, descending: true, stable: true).Indices;
    }

    /// <summary>B×k positions of the <paramref name="keep"/> best tokens, in their original (ascending) order.</summary>
    public static Tensor Kept(Tensor blockScores, int keep)
    {
        using var _ = no_grad();
        return Order(blockScores).narrow(1, 0, keep).sort(1).Values;
    }

    /// <summary>B×R rank of each block token (0 = highest score).</summary>
    public static Tensor Ranks(Tensor blockScores)
    {
        using var _ = no_grad();
        var order = Order(blockScores);
        long b = order.shape[0], r = order.shape[1];
        var ranks = arange(r, dtype: ScalarType.Int64, device: order.device).unsqueeze(0).expand(b, r);
        return zeros_like(order).scatter(1, order, ranks);
    }
}
