using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>Token-importance scores (higher = more important), B×N, for prune, reweight and the aligned operators.</summary>
public static class TokenScore
{
    /// <summary>
    /// The score of <paramref name="kind"/> for every token. <paramref name="attentionWeights"/> (B×H×N×N, from
    /// <c>Attention.Forward(..., needWeights: true)</c>) is required for the attention scores.
    /// </summary>
    public static Tensor Compute(ScoreKind kind, Tensor tokens, Tensor? attentionWeights, TokenLayout layout) => kind switch
    {
        ScoreKind.Norm => Norm(tokens),
        ScoreKind.Cls => layout.Prefix > 0
            ? AttentionFrom(Require(attentionWeights, kind), 0)
            : throw new ArgumentException("the cls score needs a CLS token: the layout has no prefix"),
        ScoreKind.LastText => layout.Suffix > 0
            ? AttentionFrom(Require(attentionWeights, kind), layout.Count - 1)
            : throw new ArgumentException("the last-text score needs text after the visual tokens: the layout has no suffix"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>B×N L2 norms of B×N×C tokens.</summary>
    public static Tensor Norm(Tensor tokens) => tokens.square().sum(-1).sqrt();

    /// <summary>B×N attention that query <paramref name="query"/> gives each token, averaged over heads.</summary>
    public static Tensor AttentionFrom(Tensor attentionWeights, long query)
    {
        if (attentionWeights.dim() != 4)
            throw new ArgumentException($"attention weights must be B×H×N×N, got {string.Join("×", attentionWeights.shape)}");
        return attentionWeights.select(2, query).mean([1]);
    }

    /// <summary>
    /// FLOPs of the score alone: the norm squares, sums and roots (2·n·d + n); the attention scores sum one row per
    /// head and divide (h·n + n). The unfused attention that the attention scores force is not counted here: it has
    /// the same FLOPs as the fused one and differs only in time.
    /// </summary>
    public static double Flops(ScoreKind kind, long tokens, long hidden, long heads, long batch = 1) => kind switch
    {
        ScoreKind.Norm => batch * (2.0 * tokens * hidden + tokens),
        _ => batch * (heads + 1.0) * tokens,
    };

    /// <summary>Compulsory bytes: the tokens (norm) or one attention row per head read, the scores written.</summary>
    public static double Bytes(ScoreKind kind, long tokens, long hidden, long heads, long batch = 1, int elementBytes = 4) => kind switch
    {
        ScoreKind.Norm => elementBytes * batch * (tokens * hidden + tokens),
        _ => elementBytes * batch * (heads + 1.0) * tokens,
    };

    private static Tensor Require(Tensor? weights, ScoreKind kind) =>
        weights ?? throw new ArgumentException($"the {kind.Name()} score reads attention probabilities: pass the layer's attention weights");
}
