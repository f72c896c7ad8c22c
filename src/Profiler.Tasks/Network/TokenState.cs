using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// The sequence between layers: tokens, their sizes and layout. <paramref name="Proportional"/> is true once an
/// operator has made sizes other than 1 (merge, pool, reweight): later attention then adds log-sizes to its logits.
/// </summary>
public sealed record TokenState(Tensor Tokens, Tensor Sizes, TokenLayout Layout, bool Proportional)
{
    /// <summary>The additive attention bias the next layer uses, or null.</summary>
    public Tensor? AttentionBias => Proportional ? Operators.Reduction.AttentionBias.Proportional(Sizes) : null;
}
