using Profiler.Core;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// One operator's latency at a (possibly fractional) token count as the differentiable surrogate predicts it, its
/// gradients in the token counts, and at whole counts the fitted model's own prediction (transferred like the surrogate).
/// </summary>
/// <param name="Latency">The surrogate's prediction.</param>
/// <param name="Regressor">The regressor chosen for the operator.</param>
/// <param name="MsPerToken">d(latency)/d(tokens in), in ms per token.</param>
/// <param name="MsPerTokenOut">For a reduction, d(latency)/d(tokens kept); otherwise null.</param>
/// <param name="Fitted">At whole token counts, the fitted model's prediction; otherwise null.</param>
/// <param name="Extrapolation">A warning when the token count lies outside the profiled range; otherwise null.</param>
public sealed record OperatorPrediction(Latency Latency, string Regressor, double MsPerToken, double? MsPerTokenOut, Latency? Fitted, string? Extrapolation)
{
    /// <summary>Predicts <paramref name="key"/> at <paramref name="shape"/> with <paramref name="tokensIn"/> tokens in and <paramref name="tokensOut"/> out.</summary>
    public static OperatorPrediction Of(LatencySurrogate surrogate, ModelKey key, CaseShape shape, double tokensIn, double tokensOut)
    {
        using var scope = NewDisposeScope();
        var model = surrogate.Model(key);
        using var module = surrogate.Operator(key, shape);
        var n = tensor(tokensIn, dtype: float64, requires_grad: true);
        var k = shape.IsReduction ? tensor(tokensOut, dtype: float64, requires_grad: true) : n;
        var latency = module.forward(n.reshape(1), k.reshape(1)).sum();
        latency.backward();
        bool whole = tokensIn == Math.Floor(tokensIn) && tokensOut == Math.Floor(tokensOut);
        return new OperatorPrediction(
            Latency.FromMicroseconds(latency.item<double>()), model.Regressor, n.grad!.item<double>() / 1e3,
            shape.IsReduction ? k.grad!.item<double>() / 1e3 : null,
            whole ? Latency.FromMicroseconds(surrogate.TransferredUs(key, model.CostModel.PredictUs(shape.At((int)tokensIn, (int)tokensOut)))) : null,
            surrogate.Extrapolation(shape, tokensIn));
    }
}
