using Profiler.Core;
using Profiler.Operators.Layers;

namespace Profiler.Operators;

/// <summary>FLOPs (2 per multiply-accumulate) and compulsory bytes of an operator case, from each operator's own counts.</summary>
public static class OperatorCosts
{
    /// <summary>FLOPs of one invocation of the case.</summary>
    public static double Flops(OperatorCase c) => c.Operator switch
    {
        OperatorKind.Attention => Attention.Flops(c.TokensIn, c.Hidden, c.Batch),
        OperatorKind.Mlp => Mlp.Flops(c.TokensIn, c.Hidden, c.MlpSize, c.Batch),
        OperatorKind.LayerNorm => EncoderBlock.LayerNormFlops(c.TokensIn, c.Hidden, c.Batch),
        OperatorKind.Block => EncoderBlock.Flops(c.TokensIn, c.Hidden, c.MlpSize, c.Batch),
        _ => throw new InputException($"no FLOP count for '{c.Operator.Name()}' yet"),
    };

    /// <summary>Compulsory bytes moved by one invocation of the case.</summary>
    public static double Bytes(OperatorCase c) => c.Operator switch
    {
        OperatorKind.Attention => Attention.Bytes(c.TokensIn, c.Hidden, c.Batch),
        OperatorKind.Mlp => Mlp.Bytes(c.TokensIn, c.Hidden, c.MlpSize, c.Batch),
        OperatorKind.LayerNorm => EncoderBlock.LayerNormBytes(c.TokensIn, c.Hidden, c.Batch),
        OperatorKind.Block => EncoderBlock.Bytes(c.TokensIn, c.Hidden, c.MlpSize, c.Batch),
        _ => throw new InputException($"no byte count for '{c.Operator.Name()}' yet"),
    };
}
