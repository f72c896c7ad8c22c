namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// The transformer layers of Profiler.Operators written as ONNX opset-17 subgraphs, with the same definitions as the
/// TorchSharp modules: Linear = MatMul + Add; attention = QKV projection, heads split, scores scaled by 1/√dₕ,
/// Softmax, context, output projection; MLP with the exact (erf) GELU, because opset 17 has no Gelu operator;
/// LayerNormalization with ε = 1e-5 as torch's nn.LayerNorm; a pre-norm block. Tensors are B×N×C throughout, with B
/// and N free dimensions, so one graph serves every token count and batch size.
/// </summary>
public static class TransformerGraphs
{
    /// <summary>torch.nn.LayerNorm's default ε.</summary>
    public const float LayerNormEpsilon = 1e-5f;

    /// <summary>x·W + b, as MatMul then Add (nn.Linear's x·Wᵀ + b with W stored transposed).</summary>
    public static string Linear(GraphBuilder g, string x, LinearWeights w, string hint)
    {
        var weight = g.Weight(hint + "_weight", w.Weight, w.In, w.Out);
        var bias = g.Weight(hint + "_bias", w.Bias, w.Out);
        return g.Node("Add", [g.Node("MatMul", [x, weight]), bias]);
    }

    /// <summary>Layer normalisation over the last (hidden) axis.</summary>
    public static string LayerNorm(GraphBuilder g, string x, NormWeights w, string hint)
    {
        var gamma = g.Weight(hint + "_gamma", w.Gamma, w.Gamma.Length);
        var beta = g.Weight(hint + "_beta", w.Beta, w.Beta.Length);
        return g.Node("LayerNormalization", [x, gamma, beta], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("epsilon", LayerNormEpsilon));
    }

    /// <summary>Multi-head self-attention, unfused, exactly as scaled_dot_product_attention defines it.</summary>
    public static string Attention(GraphBuilder g, string x, AttentionWeights w, string hint) => AttentionWithWeights(g, x, w, hint).Output;

    /// <summary>
    /// Attention that also hands over its B×H×N×N probabilities: what a CLS or last-text score forces on the layer
    /// (torch's Attention.Forward with needWeights).
    /// </summary>
    public static (string Output, string Weights) AttentionWithWeights(GraphBuilder g, string x, AttentionWeights w, string hint)
    {
        var parts = AttentionParts(g, x, w, hint);
        return (parts.Output, parts.Weights);
    }

    /// <summary>
    /// Attention as torch's Attention.Forward(x, bias, needWeights, needKeys): an optional additive logit bias
    /// (broadcast to B×H×N×N, e.g. proportional attention's B×1×1×N log-sizes) and, when asked, the B×N×C keys with
    /// heads concatenated, as merge matches on them. Without a bias or keys it is the graph of
    /// <see cref="AttentionWithWeights"/>, node for node.
    /// </summary>
    public static AttentionGraph AttentionParts(GraphBuilder g, string x, AttentionWeights w, string hint, string? bias = null, bool keys = false)
    {
        int hidden = w.Proj.Out, heads = w.Heads, headSize = hidden / heads;
        var qkv = Linear(g, x, w.Qkv, hint + "_qkv");
        // B×N×3C → B×N×3×H×dh → 3×B×H×N×dh (Reshape's 0 keeps B and N as they come).
        var split = g.Node("Reshape", [qkv, g.Int64s("qkv_shape", 0, 0, 3, heads, headSize)]);
        var parts = g.Node("Transpose", [split], OnnxAttribute.Of("perm", 2L, 0, 3, 1, 4));
        string Part(long index) => g.Node("Gather", [parts, g.Int64Scalar("part", index)], OnnxAttribute.Of("axis", 0L));
        string q = Part(0), k = Part(1), v = Part(2);
        var keysT = g.Node("Transpose", [k], OnnxAttribute.Of("perm", 0L, 1, 3, 2));
        var scores = g.Node("Mul", [g.Node("MatMul", [q, keysT]), g.Scalar("scale", 1f / MathF.Sqrt(headSize))]);
        if (bias is not null) scores = g.Node("Add", [scores, bias]);
        var weights = g.Node("Softmax", [scores], OnnxAttribute.Of("axis", -1L));
        var context = g.Node("MatMul", [weights, v]);
        // B×H×N×dh → B×N×H×dh → B×N×C
        var merged = g.Node("Reshape", [g.Node("Transpose", [context], OnnxAttribute.Of("perm", 0L, 2, 1, 3)), g.Int64s("context_shape", 0, 0, hidden)]);
        var output = Linear(g, merged, w.Proj, hint + "_proj");
        string? keyRows = keys
            ? g.Node("Reshape", [g.Node("Transpose", [k], OnnxAttribute.Of("perm", 0L, 2, 1, 3)), g.Int64s("keys_shape", 0, 0, hidden)])
            : null;
        return new AttentionGraph(output, weights, keyRows);
    }

    /// <summary>Linear → GELU (erf form: 0.5·x·(1 + erf(x/√2))) → Linear.</summary>
    public static string Mlp(GraphBuilder g, string x, MlpWeights w, string hint)
    {
        var h = Linear(g, x, w.Fc1, hint + "_fc1");
        var erf = g.Node("Erf", [g.Node("Div", [h, g.Scalar("sqrt2", MathF.Sqrt(2f))])]);
        var gelu = g.Node("Mul", [g.Node("Mul", [h, g.Node("Add", [erf, g.Scalar("one", 1f)])]), g.Scalar("half", 0.5f)]);
        return Linear(g, gelu, w.Fc2, hint + "_fc2");
    }

    /// <summary>x + Attention(LN(x)), then + MLP(LN(·)).</summary>
    public static string Block(GraphBuilder g, string x, BlockWeights w, string hint)
    {
        var afterAttention = g.Node("Add", [x, Attention(g, LayerNorm(g, x, w.Norm1, hint + "_norm1"), w.Attention, hint + "_attention")]);
        return g.Node("Add", [afterAttention, Mlp(g, LayerNorm(g, afterAttention, w.Norm2, hint + "_norm2"), w.Mlp, hint + "_mlp")]);
    }
}

/// <summary>The values one attention subgraph hands over.</summary>
/// <param name="Output">B×N×C output after the output projection.</param>
/// <param name="Weights">B×H×N×N attention probabilities (pruned by ONNX Runtime where nothing reads them).</param>
/// <param name="Keys">B×N×C keys with heads concatenated, or null when not asked for.</param>
public sealed record AttentionGraph(string Output, string Weights, string? Keys);
