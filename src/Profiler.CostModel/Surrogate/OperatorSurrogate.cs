using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The differentiable latency of one operator at one shape, in microseconds: linear(n, k) · exp(softTrees(n, k)).
/// The linear part is a quadratic in the token counts (positive and rising for the roofline trend under the tree
/// models), the soft trees keep the measured steps. Token counts are tensors and may be fractional; the output has
/// their gradient. Computation runs in float64 and the result comes back in the input's floating type. With
/// transfer factors the output is carried to another machine (see <see cref="SurrogateTransfer"/>).
/// </summary>
public sealed class OperatorSurrogate : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly QuadraticForm linear;
    private readonly SoftTrees? trees;

    /// <summary>
    /// Creates the surrogate of <paramref name="model"/> at <paramref name="shape"/>, its output transferred by
    /// <paramref name="transfer"/> when given.
    /// </summary>
    public OperatorSurrogate(OperatorCostModel model, CaseShape shape, TransferFactors? transfer = null) : base(nameof(OperatorSurrogate))
    {
        Shape = shape;
        Model = model;
        Transfer = transfer;
        var form = model.Linear.ToQuadratic(shape);
        // A dense operator's tokens out is its tokens in: fold the k terms into n so one polynomial in n remains.
        linear = shape.IsReduction ? form : Fold(form);
        trees = model.Trees is null ? null : new SoftTrees(model.Trees, model.Linear, shape);
        if (trees is not null) register_module("trees", trees);
    }

    /// <summary>The shape the token counts are evaluated at.</summary>
    public CaseShape Shape { get; }

    /// <summary>The cost model it is the soft form of.</summary>
    public OperatorCostModel Model { get; }

    /// <summary>The factors its output is transferred by; null for none.</summary>
    public TransferFactors? Transfer { get; }

    /// <summary>Latency in microseconds at tokens in <paramref name="tokensIn"/> and out <paramref name="tokensOut"/> (same length).</summary>
    public override Tensor forward(Tensor tokensIn, Tensor tokensOut)
    {
        var type = is_floating_point(tokensIn) ? tokensIn.dtype : float32;
        var n = AsFloat64(tokensIn);
        var k = Shape.IsReduction ? AsFloat64(tokensOut) : n;
        var c = linear.Coefficients;
        var value = Shape.IsReduction ? linear.Evaluate(n, k) : n * (n * c[3] + c[1]) + c[0];
        if (trees is not null) value = value * trees.forward(n, k).exp();
        if (Transfer is { } factors) value = SurrogateTransfer.Transfer(Model.Linear, value, factors);
        return value.dtype == type ? value : value.to(type);
    }

    /// <summary>Latency in microseconds of a non-reducing operator at <paramref name="tokens"/>.</summary>
    public Tensor forward(Tensor tokens) => forward(tokens, tokens);

    private static Tensor AsFloat64(Tensor t)
    {
        var flat = t.dim() == 1 ? t : t.reshape(-1);
        return flat.dtype == float64 ? flat : flat.to(float64);
    }

    private static QuadraticForm Fold(QuadraticForm f)
    {
        var c = f.Coefficients;
        return new QuadraticForm([c[0], c[1] + c[2], 0, c[3] + c[4] + c[5], 0, 0]);
    }
}
