using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Gumbel-softmax (Jang et al.; Maddison et al.), which TorchSharp lacks: y = softmax((logits + g)/τ) with
/// g = −log(−log U), U ~ Uniform(0, 1). Hard samples are straight-through: the value is the one-hot of argmax y,
/// the gradient that of y. The hard value is built as onehot + (y − y.detach()), never as onehot − y.detach() + y,
/// because y − y is exactly 0 in floating point while (1 − y) + y need not be exactly 1; so a hard sample is
/// exactly one-hot and mixing with it gives the chosen operator bit for bit.
/// </summary>
public static class GumbelSoftmax
{
    /// <summary>Standard Gumbel noise shaped like <paramref name="logits"/>.</summary>
    public static Tensor Noise(Tensor logits, Generator? generator = null)
    {
        var uniform = rand(logits.shape, dtype: logits.dtype, device: logits.device, generator: generator);
        // rand can return 0; −log(0) = ∞ would give −∞ noise, so U is kept at or above the smallest normal number.
        return -(-uniform.clamp_min(finfo(logits.dtype).tiny).log()).log();
    }

    /// <summary>The relaxation with given noise (deterministic: tests and finite differences use it).</summary>
    public static Tensor Relax(Tensor logits, Tensor noise, double temperature, bool hard, long dim = -1)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive");
        var soft = ((logits + noise) / temperature).softmax(dim);
        if (!hard) return soft;
        var index = soft.argmax(dim, keepdim: true);
        var oneHot = zeros_like(soft).scatter(dim, index, ones_like(index, dtype: soft.dtype));
        return oneHot + (soft - soft.detach());
    }

    /// <summary>A fresh sample: <see cref="Relax"/> with new <see cref="Noise"/>.</summary>
    public static Tensor Sample(Tensor logits, double temperature, bool hard, long dim = -1, Generator? generator = null) =>
        Relax(logits, Noise(logits, generator), temperature, hard, dim);
}
