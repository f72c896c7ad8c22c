using System.Globalization;
using Profiler.Core;

namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// The ONNX model that runs an operator case, with weights drawn from a seed. A layer's model depends on the
/// operator, its sizes and the seed, not on the token count or batch (free dimensions), so cases that differ only
/// in tokens share one model and one session. Scores and reductions have no weights and static shapes
/// (<see cref="ReductionGraphs"/>): one small model per case.
/// </summary>
public static class CaseModels
{
    /// <summary>Name of every case model's input (B×N×C).</summary>
    public const string InputName = "x";

    /// <summary>Attention variant that also outputs its probabilities (what a CLS or last-text score forces).</summary>
    public const string WeightsVariant = "weights";

    /// <summary>Operators this backend builds graphs for, in the order they are profiled.</summary>
    public static IReadOnlyList<OperatorKind> Supported { get; } =
        [OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block, .. ReductionGraphs.Supported];

    /// <summary>
    /// Identity of the model a case runs on: for a layer its operator, sizes, dtype, variant and seed but no token
    /// count or batch; for a score or reduction the whole case.
    /// </summary>
    public static string ModelKey(OperatorCase c, int seed) => IsLayer(c.Operator)
        ? string.Create(CultureInfo.InvariantCulture, $"{c.Operator.Name()} d={c.Hidden} h={c.Heads} m={c.MlpSize} {c.DType} {c.Variant} seed={seed}")
        : c.Key;

    /// <summary>The concrete inputs and outputs a case is bound to.</summary>
    public static CaseSignature Signature(OperatorCase c)
    {
        if (!IsLayer(c.Operator)) return ReductionGraphs.Signature(c);
        long[] tokens = [c.Batch, c.TokensIn, c.Hidden];
        var input = new CaseInput(InputName, tokens, InputDistribution.Normal);
        return c.Variant == WeightsVariant
            ? new([input], [tokens, [c.Batch, c.Heads, c.TokensIn, c.TokensIn]])
            : new([input], [tokens]);
    }

    /// <summary>Builds the model of <paramref name="c"/>; an operator or dtype it cannot run is an <see cref="InputException"/>.</summary>
    public static OnnxModel Build(OperatorCase c, int seed)
    {
        c.Validated();
        if (c.DType != "float32") throw new InputException($"{c.Key}: the onnx backend profiles float32 only");
        if (!IsLayer(c.Operator)) return ReductionGraphs.Build(c);
        if (c.Variant.Length > 0 && !(c.Operator == OperatorKind.Attention && c.Variant == WeightsVariant))
            throw new InputException($"{c.Key}: the onnx backend has no variant '{c.Variant}' of {c.Operator.Name()}");
        var sampler = new WeightSampler(seed);
        return c.Operator switch
        {
            OperatorKind.Attention when c.Variant == WeightsVariant => AttentionWithWeights(c.Hidden, c.Heads, sampler.Attention(c.Hidden, c.Heads)),
            OperatorKind.Attention => Attention(c.Hidden, sampler.Attention(c.Hidden, c.Heads)),
            OperatorKind.Mlp => Mlp(c.Hidden, sampler.Mlp(c.Hidden, c.MlpSize)),
            OperatorKind.LayerNorm => LayerNorm(c.Hidden, sampler.Norm(c.Hidden)),
            OperatorKind.Block => Block(c.Hidden, sampler.Block(c.Hidden, c.Heads, c.MlpSize)),
            _ => throw new InputException($"the onnx backend cannot run '{c.Operator.Name()}' (it runs {string.Join(", ", Supported.Select(o => o.Name()))})"),
        };
    }

    /// <summary>An attention model with the given weights.</summary>
    public static OnnxModel Attention(int hidden, AttentionWeights w) =>
        Wrap("attention", hidden, (g, x) => TransformerGraphs.Attention(g, x, w, "attention"));

    /// <summary>An attention model that outputs its B×H×N×N probabilities as well.</summary>
    public static OnnxModel AttentionWithWeights(int hidden, int heads, AttentionWeights w)
    {
        var g = new GraphBuilder("attention_weights");
        OnnxDim[] shape = [OnnxDim.Named("batch"), OnnxDim.Named("tokens"), OnnxDim.Fixed(hidden)];
        var (y, weights) = TransformerGraphs.AttentionWithWeights(g, g.Input(InputName, shape), w, "attention");
        g.Output(y, shape);
        g.Output(weights, OnnxDim.Named("batch"), OnnxDim.Fixed(heads), OnnxDim.Named("tokens"), OnnxDim.Named("tokens"));
        return g.Build();
    }

    /// <summary>An MLP model with the given weights.</summary>
    public static OnnxModel Mlp(int hidden, MlpWeights w) => Wrap("mlp", hidden, (g, x) => TransformerGraphs.Mlp(g, x, w, "mlp"));

    /// <summary>A layer-norm model with the given weights.</summary>
    public static OnnxModel LayerNorm(int hidden, NormWeights w) =>
        Wrap("layernorm", hidden, (g, x) => TransformerGraphs.LayerNorm(g, x, w, "norm"));

    /// <summary>An encoder-layer model with the given weights.</summary>
    public static OnnxModel Block(int hidden, BlockWeights w) => Wrap("block", hidden, (g, x) => TransformerGraphs.Block(g, x, w, "block"));

    private static bool IsLayer(OperatorKind op) =>
        op is OperatorKind.Attention or OperatorKind.Mlp or OperatorKind.LayerNorm or OperatorKind.Block;

    private static OnnxModel Wrap(string name, int hidden, Func<GraphBuilder, string, string> body)
    {
        var g = new GraphBuilder(name);
        OnnxDim[] shape = [OnnxDim.Named("batch"), OnnxDim.Named("tokens"), OnnxDim.Fixed(hidden)];
        var y = body(g, g.Input(InputName, shape));
        g.Output(y, shape);
        return g.Build();
    }
}
