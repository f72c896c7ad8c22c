using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Additive attention-logit biases for the attention that follows a reduction (pass them to
/// <c>Attention.Forward(x, bias)</c>): proportional attention for merged tokens, and keep masks for training.
/// </summary>
public static class AttentionBias
{
    /// <summary>
    /// ToMe's proportional attention: log s added to every query's logit for key j (B×1×1×N), so a token that stands
    /// for s patches gets the attention s copies would. A size of 0 (a hard reweight) gives a logit far below every
    /// other (the log of the smallest normal number), which masks that key up to rounding without producing NaN.
    /// </summary>
    public static Tensor Proportional(Tensor sizes)
    {
        // An explicit scalar, alive until the call returns: an implicitly converted one may be finalized by the GC
        // while libtorch still reads it (a search test failed once with "Expected false to be true" in toDouble).
        using var tiny = finfo(sizes.dtype).tiny.ToScalar();
        return sizes.clamp_min(tiny).log().unsqueeze(1).unsqueeze(1);
    }

    /// <summary>
    /// DynamicViT's attention masking with a keep mask m ∈ [0, 1] (B×N, soft or hard): the logit of key j gets
    /// log(m_j + ε) for every query except j itself, whose own key is never masked (a dropped token still sees
    /// itself, so no query row is empty). With a hard mask, kept queries attend exactly as if the dropped tokens
    /// were physically removed, up to ε = 1e-12 relative leakage, and the gradient reaches m even where m = 0.
    /// Returns B×1×N×N.
    /// </summary>
    public static Tensor KeepMask(Tensor mask)
    {
        long n = mask.shape[1];
        var offDiagonal = 1 - eye(n, dtype: mask.dtype, device: mask.device);
        return (mask + MaskEpsilon).log().unsqueeze(1).unsqueeze(1) * offDiagonal;
    }

    /// <summary>The leakage ε of <see cref="KeepMask"/>: small enough to vanish in float32, large enough to keep gradients finite.</summary>
    public const double MaskEpsilon = 1e-12;
}
