using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Plans;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.CostModel.ModelLevel;

/// <summary>
/// The differentiable latency of a whole model, in microseconds: the sum over its layers of layernorm + attention at
/// the tokens the attention sees, the expected reduction cost (the reduction, its score, and the unfused attention a
/// weight-reading score forces in place of the fused one), and layernorm + MLP at the tokens the MLP sees. Token
/// counts and the per-layer weights of each reduction option are tensors, so a search can pass soft values and get
/// gradients for all of them. Where the surrogate also has whole blocks, each layer adds what its block costs beyond
/// its parts (never less than nothing). A surrogate with only whole-block models sums blocks (and then takes no
/// reductions).
/// </summary>
public sealed class ModelLatencySurrogate : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly OperatorSurrogate? layerNorm;
    private readonly OperatorSurrogate? attention;
    private readonly OperatorSurrogate? mlp;
    private readonly OperatorSurrogate? block;
    private readonly (OperatorSurrogate Reduction, OperatorSurrogate? Score, OperatorSurrogate? Unfused)[] reductions;
    private readonly double protectedTokens;
    private readonly double factor;

    /// <summary>Builds the model's surrogate; a missing operator model is an <see cref="InputException"/>.</summary>
    /// <param name="surrogate">The fitted surrogate.</param>
    /// <param name="shape">Layer sizes and layer count.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="protectedTokens">Tokens no reduction touches (CLS, text).</param>
    /// <param name="options">Reduction options the weights of <see cref="forward"/> refer to, in order.</param>
    /// <param name="calibration">A measured correction of this model's sum, or null for the plain sum.</param>
    public ModelLatencySurrogate(LatencySurrogate surrogate, ModelShape shape, int batch, int protectedTokens, IReadOnlyList<ReductionOption> options,
        ModelCalibration? calibration = null)
        : base(nameof(ModelLatencySurrogate))
    {
        Shape = shape.Validated();
        Options = options;
        Calibration = calibration;
        this.protectedTokens = protectedTokens;
        factor = calibration?.Factor ?? 1;
        CaseShape For(ModelKey key) => CaseShape.For(key, shape, batch);
        OperatorSurrogate Make(OperatorKind kind) => surrogate.Operator(new ModelKey(kind), For(new ModelKey(kind)));
        UsesBlocks = !new[] { OperatorKind.LayerNorm, OperatorKind.Attention, OperatorKind.Mlp }.All(k => surrogate.Has(new ModelKey(k)));
        if (UsesBlocks)
        {
            if (options.Count > 0)
                throw new InputException("a plan with reductions needs layernorm, attention and mlp models (the surrogate has whole blocks only)");
            block = Make(OperatorKind.Block);
            register_module("block", block);
        }
        else
        {
            layerNorm = Make(OperatorKind.LayerNorm);
            attention = Make(OperatorKind.Attention);
            mlp = Make(OperatorKind.Mlp);
            register_module("layernorm", layerNorm);
            register_module("attention", attention);
            register_module("mlp", mlp);
            if (surrogate.Has(new ModelKey(OperatorKind.Block)))
            {
                block = Make(OperatorKind.Block);
                register_module("block", block);
            }
        }
        var unfused = ReductionOption.AttentionWithWeights;
        reductions = options.Select(o => (
            surrogate.Operator(o.Reduction, For(o.Reduction)),
            o.Score is { } score ? surrogate.Operator(score, For(score)) : null,
            o.UnfusedAttention ? surrogate.Operator(unfused, For(unfused)) : null)).ToArray();
        for (int r = 0; r < reductions.Length; r++)
        {
            register_module($"reduction{r}", reductions[r].Reduction);
            if (reductions[r].Score is { } score) register_module($"score{r}", score);
            if (reductions[r].Unfused is { } attentionWithWeights) register_module($"unfused{r}", attentionWithWeights);
        }
    }

    /// <summary>Layer sizes and count.</summary>
    public ModelShape Shape { get; }

    /// <summary>The reduction options, in the order of the weights' columns.</summary>
    public IReadOnlyList<ReductionOption> Options { get; }

    /// <summary>The correction applied, or null.</summary>
    public ModelCalibration? Calibration { get; }

    /// <summary>True when it sums whole-block models (the surrogate lacks layernorm, attention or mlp).</summary>
    public bool UsesBlocks { get; }

    /// <summary>True when each layer also adds what its block costs beyond its parts.</summary>
    public bool AddsBlockOverhead => block is not null && !UsesBlocks;

    /// <summary>Total latency in microseconds (a scalar).</summary>
    /// <param name="attentionTokens">Tokens each layer's attention sees (length = layers).</param>
    /// <param name="mlpTokens">Tokens each layer's MLP sees (length = layers; below attention's where it reduces).</param>
    /// <param name="reductionWeights">Layers × options: how much each layer reduces with each option (0 for none).</param>
    public override Tensor forward(Tensor attentionTokens, Tensor mlpTokens, Tensor reductionWeights) =>
        LayerLatencies(attentionTokens, mlpTokens, reductionWeights).sum();

    /// <summary>Latency of each layer in microseconds (length = layers).</summary>
    public Tensor LayerLatencies(Tensor attentionTokens, Tensor mlpTokens, Tensor reductionWeights)
    {
        if (UsesBlocks) return block!.forward(attentionTokens) * factor;
        long layers = attentionTokens.shape[0];
        var norms = layerNorm!.forward(cat([attentionTokens, mlpTokens])).view(2, layers);
        var fused = attention!.forward(attentionTokens);
        var total = norms.sum(dim: 0) + fused + mlp!.forward(mlpTokens);
        // What a whole layer spends beyond its parts (the residual additions, the dispatch between them), measured as
        // block − parts at the tokens the layer takes in; never negative, so noise cannot make a layer cheaper.
        if (block is not null)
            total = total + (block.forward(attentionTokens) - 2 * norms[0] - fused - mlp.forward(attentionTokens)).clamp_min(0);
        if (reductions.Length == 0) return total * factor;
        var reducibleIn = attentionTokens - protectedTokens;
        var reducibleOut = mlpTokens - protectedTokens;
        var weights = reductionWeights.dtype == total.dtype ? reductionWeights : reductionWeights.to(total.dtype);
        for (int r = 0; r < reductions.Length; r++)
        {
            var cost = reductions[r].Reduction.forward(reducibleIn, reducibleOut);
            // A score is computed over the whole sequence the layer sees, protected tokens included.
            if (reductions[r].Score is { } score) cost = cost + score.forward(attentionTokens);
            if (reductions[r].Unfused is { } unfusedAttention) cost = cost + unfusedAttention.forward(attentionTokens) - fused;
            total = total + weights[.., r] * cost;
        }
        return total * factor;
    }

    /// <summary>The inputs of <see cref="forward"/> for a discrete plan (float64, no gradient).</summary>
    public (Tensor Attention, Tensor Mlp, Tensor Weights) Inputs(ReductionPlan plan, int tokens)
    {
        var (a, m) = plan.Tokens(Shape.Layers, tokens, (int)protectedTokens);
        var weights = zeros(Shape.Layers, Math.Max(1, Options.Count), dtype: float64);
        foreach (var step in plan.Steps)
        {
            int option = Options.ToList().IndexOf(ReductionOption.Of(step));
            if (option < 0) throw new ArgumentException($"the plan uses {ReductionOption.Of(step).Name}, which is not among this surrogate's options", nameof(plan));
            weights[step.Layer, option] = 1.0;
        }
        return (tensor(a.Select(v => (double)v).ToArray(), dtype: float64), tensor(m.Select(v => (double)v).ToArray(), dtype: float64), weights);
    }

    /// <summary>
    /// The surrogate of <paramref name="preset"/> for a plan: its options are exactly the plan's, so any missing
    /// operator model is reported before anything is evaluated. The surrogate's calibration for this preset, shape
    /// and batch is applied unless <paramref name="calibrated"/> is false.
    /// </summary>
    public static ModelLatencySurrogate ForPlan(LatencySurrogate surrogate, Preset preset, ReductionPlan plan, int batch = 1, bool calibrated = true)
    {
        var s = preset.Shape;
        var calibration = calibrated
            ? surrogate.Document.ModelCalibrations.LastOrDefault(c => c.Preset == preset.Name && c.Hidden == s.Hidden && c.Heads == s.Heads
                && c.MlpSize == s.MlpSize && c.Layers == s.Layers && c.Batch == batch)
            : null;
        return new(surrogate, s, batch, preset.ProtectedTokens, plan.Steps.Select(ReductionOption.Of).Distinct().ToList(), calibration);
    }
}
