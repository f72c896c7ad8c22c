using Profiler.Operators.Layers;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// Runs a stack of pre-norm encoder layers with a token reduction between each layer's attention and its MLP (where
/// ToMe places it): the layer computes what the reduction asks for (attention probabilities, keys), the reduction
/// shrinks the sequence, and the MLP runs on what is left. Any model built from <see cref="EncoderBlock"/>s runs its
/// layers through this, so every model reduces the same way.
/// </summary>
public static class ReducingEncoder
{
    /// <summary>
    /// The state after <paramref name="blocks"/>, applying <paramref name="reductions"/>[i] (when not null) inside
    /// layer i; null reductions run the stack unreduced.
    /// </summary>
    public static TokenState Run(IReadOnlyList<EncoderBlock> blocks, TokenState state, IReadOnlyList<ILayerReduction?>? reductions)
    {
        if (reductions is not null && reductions.Count != blocks.Count)
            throw new ArgumentException($"give one reduction (or null) per layer: {blocks.Count}, not {reductions.Count}");
        // Sizes change only where a layer reduces, so the attention bias is made there, not in every layer.
        Tensor? bias = state.AttentionBias;
        for (int i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var reduction = reductions?[i];
            var attention = block.Attention.Forward(block.Norm1.forward(state.Tokens), bias,
                reduction?.NeedsAttentionWeights ?? false, reduction?.NeedsKeys ?? false);
            state = state with { Tokens = Residual.Add(state.Tokens, attention.Output) };
            if (reduction is not null)
            {
                state = reduction.Reduce(state, attention);
                bias = state.AttentionBias;
            }
            state = state with { Tokens = Residual.Add(state.Tokens, block.Mlp.forward(block.Norm2.forward(state.Tokens))) };
        }
        return state;
    }
}
