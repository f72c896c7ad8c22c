using System.Globalization;

namespace Profiler.Core;

/// <summary>An operator at concrete sizes: what one profile entry measures.</summary>
/// <param name="Operator">Which operator.</param>
/// <param name="TokensIn">Token count in (n).</param>
/// <param name="TokensOut">Token count out; equals <paramref name="TokensIn"/> for non-reductions.</param>
/// <param name="Hidden">Hidden size d.</param>
/// <param name="Heads">Attention heads h.</param>
/// <param name="MlpSize">MLP inner size m.</param>
/// <param name="Batch">Batch size b.</param>
/// <param name="DType">Element type, e.g. "float32".</param>
/// <param name="Variant">Operator-specific choice, e.g. the score a prune uses ("norm", "cls"); empty if none.</param>
public sealed record OperatorCase(
    OperatorKind Operator, int TokensIn, int TokensOut, int Hidden, int Heads, int MlpSize, int Batch, string DType,
    string Variant = "")
{
    /// <summary>The largest batch a case may have.</summary>
    public const int MostBatch = 4_096;

    /// <summary>A canonical, unique text key: the identity of a case in the raw store and the profile.</summary>
    public string Key
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var key = string.Create(c, $"{Operator.Name()} n={TokensIn}->{TokensOut} d={Hidden} h={Heads} m={MlpSize} b={Batch} {DType}");
            return Variant.Length == 0 ? key : key + " " + Variant;
        }
    }

    /// <summary>A case of a non-reducing operator at <paramref name="tokens"/> tokens of a given shape.</summary>
    public static OperatorCase Dense(OperatorKind op, int tokens, ModelShape shape, int batch = 1, string dtype = "float32") =>
        new(op, tokens, tokens, shape.Hidden, shape.Heads, shape.MlpSize, batch, dtype);

    /// <summary>Throws an <see cref="InputException"/> when the sizes cannot describe a real case.</summary>
    public OperatorCase Validated()
    {
        new ModelShape(Hidden, Heads, MlpSize, 1).Validated();
        if (TokensIn < 1) throw new InputException($"{Key}: token count in must be positive");
        if (TokensOut < 1 || TokensOut > TokensIn) throw new InputException($"{Key}: token count out must be in 1..{TokensIn}");
        if (!Operator.IsReduction() && TokensOut != TokensIn) throw new InputException($"{Key}: only reductions change the token count");
        if (Batch < 1) throw new InputException($"{Key}: batch must be positive");
        if (Batch > MostBatch) throw new InputException($"{Key}: batch {Batch} is more than {MostBatch}");
        if (TokensIn > TokenGrid.MostTokens) throw new InputException($"{Key}: more than {TokenGrid.MostTokens} tokens");
        return this;
    }
}
