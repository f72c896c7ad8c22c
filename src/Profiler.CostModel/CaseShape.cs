using Profiler.Core;

namespace Profiler.CostModel;

/// <summary>
/// Everything about a case except its token counts: the constants a surrogate holds fixed while the token counts
/// move (and carry the gradient).
/// </summary>
/// <param name="Key">Operator and variant.</param>
/// <param name="Hidden">Hidden size d.</param>
/// <param name="Heads">Attention heads h.</param>
/// <param name="MlpSize">MLP inner size m.</param>
/// <param name="Batch">Batch size b.</param>
/// <param name="DType">Element type.</param>
public sealed record CaseShape(ModelKey Key, int Hidden, int Heads, int MlpSize, int Batch, string DType)
{
    /// <summary>The shape of a case.</summary>
    public static CaseShape Of(OperatorCase c) => new(ModelKey.Of(c), c.Hidden, c.Heads, c.MlpSize, c.Batch, c.DType);

    /// <summary>A shape from a model shape, for an operator.</summary>
    public static CaseShape For(ModelKey key, ModelShape shape, int batch, string dtype = "float32") =>
        new(key, shape.Hidden, shape.Heads, shape.MlpSize, batch, dtype);

    /// <summary>The case of this shape at concrete token counts (for non-reductions <paramref name="tokensOut"/> must equal <paramref name="tokensIn"/>).</summary>
    public OperatorCase At(int tokensIn, int tokensOut) =>
        new(Key.Operator, tokensIn, tokensOut, Hidden, Heads, MlpSize, Batch, DType, Key.Variant);

    /// <summary>True when the operator changes the token count, so tokens out is a second input.</summary>
    public bool IsReduction => Key.Operator.IsReduction();

    /// <summary>A short description, e.g. "d=128 h=4 m=512 b=1 float32".</summary>
    public string Sizes => $"d={Hidden} h={Heads} m={MlpSize} b={Batch} {DType}";
}
