using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Expected token counts of a relaxed plan: layer l's attention sees P + R_l tokens, its reduction keeps the
/// expected ratio Σ_c p_lc·ρ_c of the R_l reducible ones, and its MLP (and the next layer) sees P + R_(l+1).
/// The ceiling of ⌈ρ·R⌉ is left out, so the counts stay differentiable.
/// </summary>
public static class TokenFlow
{
    /// <summary>Attention and MLP token counts per layer (float64, length = layers), differentiable in the probabilities.</summary>
    public static (Tensor Attention, Tensor Mlp) Expected(SearchParameters parameters)
    {
        var space = parameters.Space;
        var probabilities = parameters.KeepProbabilities().to(float64);
        var ratios = tensor(space.Ratios.ToArray(), dtype: float64);
        var expectedRatio = probabilities.matmul(ratios);
        double protectedTokens = space.Layout.ProtectedCount;
        var reducible = tensor((double)space.Layout.Reducible, dtype: float64);
        var attention = new Tensor[space.Layers];
        var mlp = new Tensor[space.Layers];
        for (int l = 0; l < space.Layers; l++)
        {
            attention[l] = reducible + protectedTokens;
            reducible = reducible * expectedRatio[l];
            mlp[l] = reducible + protectedTokens;
        }
        return (stack(attention), stack(mlp));
    }

    /// <summary>Layers × 4 weights of the anchors (prune, reweight, pool, merge): P(layer reduces)·h_k(α_l).</summary>
    public static Tensor AnchorWeights(SearchParameters parameters)
    {
        var reduces = 1 - parameters.KeepProbabilities().select(1, SearchSpace.NoReduction);
        return (reduces.unsqueeze(1) * parameters.AnchorWeights()).to(float64);
    }
}
