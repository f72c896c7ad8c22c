using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// The sequence between layers: tokens, their sizes and layout. <paramref name="Proportional"/> is true once an
/// operator has made sizes other than 1 (merge, pool, reweight): later attention then adds log-sizes to its logits.
/// <paramref name="Positions"/> (B×R×2) are the reducible tokens' grid positions once a reduction has broken the
/// grid (centroids of what each token stands for), so that a later spatial operator still knows where tokens are.
/// </summary>
public sealed record TokenState(Tensor Tokens, Tensor Sizes, TokenLayout Layout, bool Proportional, Tensor? Positions = null)
{
    /// <summary>The additive attention bias the next layer uses, or null.</summary>
    public Tensor? AttentionBias => Proportional ? Operators.Reduction.AttentionBias.Proportional(Sizes) : null;
}
