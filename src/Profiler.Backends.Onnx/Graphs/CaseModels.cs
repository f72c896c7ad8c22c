using System.Globalization;
using Profiler.Core;

namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// The ONNX model that runs an operator case, with weights drawn from a seed. A model depends on the operator, its
/// sizes and the seed, not on the token count or batch (free dimensions), so cases that differ only in tokens share
/// one model and one session.
/// </summary>
public static class CaseModels
{
    /// <summary>Name of every case model's input (B×N×C).</summary>
    public const string InputName = "x";

    /// <summary>Operators this backend builds graphs for.</summary>
    public static IReadOnlyList<OperatorKind> Supported { get; } =
        [OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block];

    /// <summary>Identity of the model a case runs on: operator, sizes, dtype, variant and seed, but no token count.</summary>
    public static string ModelKey(OperatorCase c, int seed) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Operator.Name()} d={c.Hidden} h={c.Heads} m={c.MlpSize} {c.DType} {c.Variant} seed={seed}");

    /// <summary>Builds the model of <paramref name="c"/>; an operator or dtype it cannot run is an <see cref="InputException"/>.</summary>
    public static OnnxModel Build(OperatorCase c, int seed)
    {
        c.Validated();
        if (c.DType != "float32") throw new InputException($"{c.Key}: the onnx backend profiles float32 only");
        var sampler = new WeightSampler(seed);
        return c.Operator switch
        {
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

    /// <summary>An MLP model with the given weights.</summary>
    public static OnnxModel Mlp(int hidden, MlpWeights w) => Wrap("mlp", hidden, (g, x) => TransformerGraphs.Mlp(g, x, w, "mlp"));

    /// <summary>A layer-norm model with the given weights.</summary>
    public static OnnxModel LayerNorm(int hidden, NormWeights w) =>
        Wrap("layernorm", hidden, (g, x) => TransformerGraphs.LayerNorm(g, x, w, "norm"));

    /// <summary>An encoder-layer model with the given weights.</summary>
    public static OnnxModel Block(int hidden, BlockWeights w) => Wrap("block", hidden, (g, x) => TransformerGraphs.Block(g, x, w, "block"));

    private static OnnxModel Wrap(string name, int hidden, Func<GraphBuilder, string, string> body)
    {
        var g = new GraphBuilder(name);
        OnnxDim[] shape = [OnnxDim.Named("batch"), OnnxDim.Named("tokens"), OnnxDim.Fixed(hidden)];
        var y = body(g, g.Input(InputName, shape));
        g.Output(y, shape);
        return g.Build();
    }
}
