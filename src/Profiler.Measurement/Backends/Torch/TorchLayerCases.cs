using TorchSharp;
using Profiler.Core;
using Profiler.Operators.Layers;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>The dense layers as torch cases: the same modules the model runs, in eval mode.</summary>
internal static class TorchLayerCases
{
    /// <summary>Attention variant that returns the attention probabilities (the unfused path a CLS score forces).</summary>
    public const string WeightsVariant = "weights";

    public static (Func<Tensor[], object> Forward, Func<Generator, Tensor>[] Draws, IDisposable Owner) Build(OperatorCase c, Device device)
    {
        Func<Generator, Tensor>[] draws = [g => randn([c.Batch, c.TokensIn, c.Hidden], generator: g)];
        switch (c.Operator)
        {
            case OperatorKind.Attention when c.Variant == WeightsVariant:
                var weighted = Ready(new Attention(c.Hidden, c.Heads), device);
                return (x => weighted.Forward(x[0], needWeights: true), draws, weighted);
            case OperatorKind.Attention when c.Variant.Length == 0:
                var attention = Ready(new Attention(c.Hidden, c.Heads), device);
                return (x => attention.forward(x[0]), draws, attention);
            case OperatorKind.Mlp when c.Variant.Length == 0:
                var mlp = Ready(new Mlp(c.Hidden, c.MlpSize), device);
                return (x => mlp.forward(x[0]), draws, mlp);
            case OperatorKind.LayerNorm when c.Variant.Length == 0:
                var norm = Ready(nn.LayerNorm(c.Hidden), device);
                return (x => norm.forward(x[0]), draws, norm);
            case OperatorKind.Block when c.Variant.Length == 0:
                var block = Ready(new EncoderBlock(c.Hidden, c.Heads, c.MlpSize), device);
                return (x => block.forward(x[0]), draws, block);
            default:
                throw new InputException($"{c.Key}: the torch backend has no variant '{c.Variant}' of {c.Operator.Name()}");
        }
    }

    private static T Ready<T>(T module, Device device) where T : nn.Module
    {
        module.to(device);
        module.eval();
        return module;
    }
}
