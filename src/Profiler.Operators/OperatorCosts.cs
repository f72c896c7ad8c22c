using Profiler.Core;
using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;

namespace Profiler.Operators;

/// <summary>
/// FLOPs and compulsory bytes of an operator case, so that the FLOPs-based and the latency-based searches count the
/// same work. FLOPs are 2 per multiply-accumulate of what the code runs, 1 per other elementwise operation (add,
/// divide, exp, clamp); comparisons (sorting, argmax) count 0. Bytes are the compulsory traffic: weights once,
/// inputs read, outputs written, at the case's element size.
/// </summary>
/// <remarks>
/// For reductions, a case's tokens in are all reducible (protected tokens add copies, no arithmetic) and tokens out
/// is ⌈ρ·n⌉; for reweight it is the keep count that sets the threshold (the output keeps n rows). The variant (see
/// <see cref="ReductionVariant"/>) picks the score of a score case and the aligned anchor instead of the published
/// operator; a reduction's cost excludes its score, which is a case of its own.
/// </remarks>
public static class OperatorCosts
{
    /// <summary>FLOPs of <paramref name="c"/>; an invalid case or variant is an <see cref="InputException"/>.</summary>
    public static double Flops(OperatorCase c)
    {
        c.Validated();
        long n = c.TokensIn, k = c.TokensOut, d = c.Hidden, b = c.Batch;
        return c.Operator switch
        {
            OperatorKind.Attention => Attention.Flops(n, d, b),
            OperatorKind.Mlp => Mlp.Flops(n, d, c.MlpSize, b),
            OperatorKind.LayerNorm => EncoderBlock.LayerNormFlops(n, d, b),
            OperatorKind.Block => EncoderBlock.Flops(n, d, c.MlpSize, b),
            OperatorKind.Score => TokenScore.Flops(ScoreOf(c), n, d, c.Heads, b),
            _ when Variant(c).Aligned => AlignedReduction.Flops(c.Operator, n, k, d, b),
            OperatorKind.Prune => Prune.Flops(n, k, d, b),
            OperatorKind.Reweight => Reweight.Flops(n, k, d, b),
            OperatorKind.Pool => Pool.Flops(n, k, d, b),
            OperatorKind.Merge => Merge.Flops(n, k, d, b),
            _ => throw new InputException($"{c.Key}: no FLOPs count for {c.Operator.Name()}"),
        };
    }

    /// <summary>Compulsory bytes of <paramref name="c"/>; an invalid case, variant or dtype is an <see cref="InputException"/>.</summary>
    public static double Bytes(OperatorCase c)
    {
        c.Validated();
        long n = c.TokensIn, k = c.TokensOut, d = c.Hidden, b = c.Batch;
        int e = ElementBytes(c.DType);
        return c.Operator switch
        {
            OperatorKind.Attention => Attention.Bytes(n, d, b, e),
            OperatorKind.Mlp => Mlp.Bytes(n, d, c.MlpSize, b, e),
            OperatorKind.LayerNorm => EncoderBlock.LayerNormBytes(n, d, b, e),
            OperatorKind.Block => EncoderBlock.Bytes(n, d, c.MlpSize, b, e),
            OperatorKind.Score => TokenScore.Bytes(ScoreOf(c), n, d, c.Heads, b, e),
            _ when Variant(c).Aligned => AlignedReduction.Bytes(c.Operator, n, k, d, b, e),
            OperatorKind.Prune => Prune.Bytes(n, k, d, b, e),
            OperatorKind.Reweight => Reweight.Bytes(n, k, d, b, e),
            OperatorKind.Pool => Pool.Bytes(n, k, d, b, e),
            OperatorKind.Merge => Merge.Bytes(n, k, d, b, e),
            _ => throw new InputException($"{c.Key}: no bytes count for {c.Operator.Name()}"),
        };
    }

    /// <summary>Bytes per element of a dtype name: float64 8, float32 4, float16 and bfloat16 2.</summary>
    public static int ElementBytes(string dtype) => dtype.Trim().ToLowerInvariant() switch
    {
        "float64" or "double" => 8,
        "float32" or "float" => 4,
        "float16" or "half" or "bfloat16" => 2,
        _ => throw new InputException($"unknown dtype '{dtype}' (known: float64, float32, float16, bfloat16)"),
    };

    private static ReductionVariant Variant(OperatorCase c) => ReductionVariant.Parse(c.Variant);

    private static ScoreKind ScoreOf(OperatorCase c)
    {
        var variant = Variant(c);
        if (variant.Aligned) throw new InputException($"{c.Key}: a score case has no aligned form");
        return variant.Score ?? throw new InputException($"{c.Key}: a score case must name its score (norm, cls, last-text)");
    }
}
