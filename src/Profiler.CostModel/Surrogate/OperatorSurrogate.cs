using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The differentiable latency of one operator at one shape, in microseconds: linear(n, k) · exp(softTrees(n, k, …)).
/// The linear part is a quadratic in the token counts (positive and rising for the roofline trend under the tree
/// models), the soft trees keep the measured steps. Token counts are tensors and may be fractional; the output has
/// their gradient. Computation runs in float64 and the result comes back in the input's floating type.
/// </summary>
public sealed class OperatorSurrogate : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly QuadraticForm linear;
    private readonly SoftTrees? trees;
    private readonly Tensor constants;

    /// <summary>Creates the surrogate of <paramref name="model"/> at <paramref name="shape"/>.</summary>
    public OperatorSurrogate(OperatorCostModel model, CaseShape shape) : base(nameof(OperatorSurrogate))
    {
        Shape = shape;
        Model = model;
        linear = model.Linear.ToQuadratic(shape);
        trees = model.Trees is null ? null : SoftTrees.Create(model.Trees);
        constants = tensor(SizeFeatures.Constants(shape), dtype: float64).unsqueeze(0);
        register_buffer("constants", constants);
        if (trees is not null) register_module("trees", trees);
    }

    /// <summary>The shape the token counts are evaluated at.</summary>
    public CaseShape Shape { get; }

    /// <summary>The cost model it is the soft form of.</summary>
    public OperatorCostModel Model { get; }

    /// <summary>Latency in microseconds at tokens in <paramref name="tokensIn"/> and out <paramref name="tokensOut"/> (same length).</summary>
    public override Tensor forward(Tensor tokensIn, Tensor tokensOut)
    {
        var type = is_floating_point(tokensIn) ? tokensIn.dtype : float32;
        var n = tokensIn.to(float64).reshape(-1);
        var k = tokensOut.to(float64).reshape(-1);
        var value = linear.Evaluate(n, k);
        if (trees is not null)
        {
            var x = cat([n.unsqueeze(1), k.unsqueeze(1), constants.expand(n.shape[0], -1)], 1);
            value = value * trees.forward(x).exp();
        }
        return value.to(type);
    }

    /// <summary>Latency in microseconds of a non-reducing operator at <paramref name="tokens"/>.</summary>
    public Tensor forward(Tensor tokens) => forward(tokens, tokens);
}
