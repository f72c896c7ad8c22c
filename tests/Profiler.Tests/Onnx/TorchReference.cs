using Profiler.Backends.Onnx.Graphs;
using Profiler.Operators.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.Onnx;

/// <summary>
/// The TorchSharp modules of Profiler.Operators with the ONNX models' weights copied in, run on the same inputs:
/// the reference every ONNX graph is checked against.
/// </summary>
public static class TorchReference
{
    /// <summary>Runs <paramref name="module"/> in inference mode on a B×N×C input.</summary>
    public static float[] Run(nn.Module<Tensor, Tensor> module, float[] input, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        var x = tensor(input, shape);
        return module.forward(x).contiguous().data<float>().ToArray();
    }

    /// <summary>An <see cref="Attention"/> module holding <paramref name="w"/>.</summary>
    public static Attention Attention(AttentionWeights w)
    {
        var module = new Attention(w.Proj.Out, w.Heads);
        Load(module, new() { ["qkv"] = w.Qkv, ["proj"] = w.Proj }, []);
        return module;
    }

    /// <summary>An <see cref="Mlp"/> module holding <paramref name="w"/>.</summary>
    public static Mlp Mlp(MlpWeights w)
    {
        var module = new Mlp(w.Fc1.In, w.Fc1.Out);
        Load(module, new() { ["fc1"] = w.Fc1, ["fc2"] = w.Fc2 }, []);
        return module;
    }

    /// <summary>torch's nn.LayerNorm (ε = 1e-5) holding <paramref name="w"/>.</summary>
    public static nn.Module<Tensor, Tensor> LayerNorm(NormWeights w)
    {
        var module = nn.LayerNorm(w.Gamma.Length);
        Load(module, [], new() { [""] = w });
        return module;
    }

    /// <summary>An <see cref="EncoderBlock"/> holding <paramref name="w"/>.</summary>
    public static EncoderBlock Block(BlockWeights w)
    {
        var module = new EncoderBlock(w.Attention.Proj.Out, w.Attention.Heads, w.Mlp.Fc1.Out);
        Load(module,
            new() { ["attention.qkv"] = w.Attention.Qkv, ["attention.proj"] = w.Attention.Proj, ["mlp.fc1"] = w.Mlp.Fc1, ["mlp.fc2"] = w.Mlp.Fc2 },
            new() { ["norm1"] = w.Norm1, ["norm2"] = w.Norm2 });
        return module;
    }

    /// <summary>Largest absolute difference relative to the largest reference magnitude.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"element {i} is {actual[i]}");
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        return worst / scale;
    }

    private static void Load(nn.Module module, Dictionary<string, LinearWeights> linears, Dictionary<string, NormWeights> norms)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        int expected = 2 * (linears.Count + norms.Count);
        Assert.Equal(expected, parameters.Count);
        using var noGrad = no_grad();
        foreach (var (prefix, w) in linears)
        {
            // The ONNX weights are In×Out; torch's nn.Linear holds Out×In.
            parameters[prefix + ".weight"].copy_(tensor(w.Weight, [w.In, w.Out]).t());
            parameters[prefix + ".bias"].copy_(tensor(w.Bias, [w.Out]));
        }
        foreach (var (prefix, w) in norms)
        {
            string dot = prefix.Length == 0 ? "" : prefix + ".";
            parameters[dot + "weight"].copy_(tensor(w.Gamma, [w.Gamma.Length]));
            parameters[dot + "bias"].copy_(tensor(w.Beta, [w.Beta.Length]));
        }
    }
}
