using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Plans;
using static TorchSharp.torch;

namespace Profiler.CostModel.ModelLevel;

/// <summary>One encoder layer's predicted part of a model's latency.</summary>
public sealed record LayerPrediction(int Layer, double AttentionTokens, double MlpTokens, Latency Latency);

/// <summary>
/// A model's latency under a plan as the surrogate predicts it (calibrated where the surrogate holds a calibration
/// for the preset), with its gradient in the token counts and, for the unreduced model, the sum of whole blocks.
/// </summary>
/// <param name="Latency">The predicted forward.</param>
/// <param name="Unreduced">The predicted forward without the plan (the same prediction for an empty plan).</param>
/// <param name="Layers">Each layer's tokens and share of the prediction.</param>
/// <param name="MsPerToken">d(latency)/d(tokens), summed over every layer's attention and MLP token counts, in ms per token.</param>
/// <param name="Sum">What is summed per layer, in words.</param>
/// <param name="CalibrationFactor">The calibration's factor, or null when the surrogate has none for the preset.</param>
/// <param name="BlockSum">For an unreduced model summed from parts: the sum of whole blocks, where the surrogate has them.</param>
public sealed record ModelPrediction(Latency Latency, Latency Unreduced, IReadOnlyList<LayerPrediction> Layers, double MsPerToken, string Sum,
    double? CalibrationFactor, Latency? BlockSum)
{
    /// <summary>The plan's predicted share of the unreduced forward.</summary>
    public double Share => Latency.Microseconds / Unreduced.Microseconds;

    /// <summary>Predicts <paramref name="preset"/> at <paramref name="shape"/>, <paramref name="tokens"/> tokens and <paramref name="batch"/> under <paramref name="plan"/>.</summary>
    public static ModelPrediction Of(LatencySurrogate surrogate, Preset preset, ModelShape shape, int tokens, int batch, ReductionPlan plan)
    {
        using var scope = NewDisposeScope();
        using var module = ModelLatencySurrogate.ForPlan(surrogate, preset with { Shape = shape }, plan, batch);
        var (attention, mlp, weights) = module.Inputs(plan, tokens);
        attention.requires_grad = true;
        mlp.requires_grad = true;
        var layers = module.LayerLatencies(attention, mlp, weights);
        var total = layers.sum();
        total.backward();
        var latency = Latency.FromMicroseconds(total.item<double>());
        var (a, m, w) = module.Inputs(ReductionPlan.None, tokens);
        var unreduced = plan.Steps.Count == 0 ? latency : Latency.FromMicroseconds(module.forward(a, m, w).item<double>());
        Latency? blockSum = null;
        if (plan.Steps.Count == 0 && !module.UsesBlocks && surrogate.Has(new ModelKey(OperatorKind.Block)))
        {
            using var block = surrogate.Operator(new ModelKey(OperatorKind.Block), CaseShape.For(new ModelKey(OperatorKind.Block), shape, batch));
            blockSum = Latency.FromMicroseconds(block.forward(attention.detach()).sum().item<double>());
        }
        string sum = module.UsesBlocks ? "block per layer"
            : "per layer: layernorm, attention, reduction, layernorm, mlp" + (module.AddsBlockOverhead ? ", and the block's cost beyond them" : "");
        var perLayer = Enumerable.Range(0, shape.Layers)
            .Select(i => new LayerPrediction(i, attention[i].item<double>(), mlp[i].item<double>(), Latency.FromMicroseconds(layers[i].item<double>())))
            .ToList();
        double msPerToken = (attention.grad!.sum().item<double>() + mlp.grad!.sum().item<double>()) / 1e3;
        return new ModelPrediction(latency, unreduced, perLayer, msPerToken, sum, module.Calibration?.Factor, blockSum);
    }
}
