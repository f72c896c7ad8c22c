using Profiler.Core;
using Profiler.Operators;
using Profiler.Operators.Plans;
using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// FLOPs in GFLOP, counted by the operators' own formulas (2 per multiply-accumulate of what the model runs): what
/// a FLOPs-targeted search minimises. Each layer: layernorm, attention and a residual add at the tokens the
/// attention sees; layernorm, MLP and a residual add at the tokens the MLP sees; where it reduces, the anchor and
/// its score. In the relaxed form the dense parts are exact polynomials of the expected token counts; the reductions
/// and scores (a few per cent of a layer) are weighted by their probabilities at the expected counts without a
/// gradient through those counts.
/// </summary>
public sealed class FlopsCost(Preset preset) : IPlanCost
{
    private readonly ModelShape shape = preset.Shape;

    /// <inheritdoc />
    public string Name => "flops";

    /// <inheritdoc />
    public string Unit => "GFLOP";

    /// <inheritdoc />
    public Tensor Expected(SearchParameters parameters, ScoreKind score)
    {
        var (attention, mlp) = TokenFlow.Expected(parameters);
        var dense = Residual.Add(Polynomial(AttentionHalf, attention).sum(), Polynomial(MlpHalf, mlp).sum());
        var weights = TokenFlow.AnchorWeights(parameters);
        var a = attention.detach().data<double>().ToArray();
        var m = mlp.detach().data<double>().ToArray();
        int p = preset.ProtectedTokens, anchors = AlignedReduction.Anchors.Count;
        var prices = new double[a.Length * anchors];
        for (int l = 0; l < a.Length; l++)
        {
            for (int k = 0; k < anchors; k++)
                prices[l * anchors + k] = ReductionFlops(AlignedReduction.Anchors[k], score, (long)Math.Round(a[l]), (long)Math.Round(m[l]), p);
        }
        // One product of tensors instead of a scalar multiply per layer and anchor: each tensor-with-number operation
        // hands TorchSharp a temporary Scalar that a garbage collection can free mid-call (see Residual).
        var reductions = weights.mul(tensor(prices, dtype: weights.dtype, device: weights.device).view(a.Length, anchors)).sum();
        return Residual.Add(dense, reductions) / 1e9;
    }

    /// <inheritdoc />
    public double Of(ReductionPlan plan)
    {
        int tokens = preset.VisualTokens + preset.ProtectedTokens;
        var (attention, mlp) = plan.Tokens(shape.Layers, tokens, preset.ProtectedTokens);
        double total = 0;
        for (int l = 0; l < shape.Layers; l++) total += AttentionHalf(attention[l]) + MlpHalf(mlp[l]);
        foreach (var step in plan.Steps)
        {
            if (step.RandomScore)
                throw new InputException($"plan step at layer {step.Layer}: random scores are an accuracy baseline; the operators count no FLOPs for them");
            long n = attention[step.Layer], k = mlp[step.Layer];
            // The operators' own accounting: a reduction case over the reducible tokens, and its score over all of them.
            total += OperatorCosts.Flops(Case(step.Operator, n - preset.ProtectedTokens, k - preset.ProtectedTokens, step.VariantName));
            if (step.Score is { } stepScore) total += OperatorCosts.Flops(Case(OperatorKind.Score, n, n, stepScore.Name()));
        }
        return total / 1e9;
    }

    private double AttentionHalf(long n) => Attention.Flops(n, shape.Hidden) + EncoderBlock.LayerNormFlops(n, shape.Hidden) + (double)n * shape.Hidden;

    private double MlpHalf(long n) => Mlp.Flops(n, shape.Hidden, shape.MlpSize) + EncoderBlock.LayerNormFlops(n, shape.Hidden) + (double)n * shape.Hidden;

    private double ReductionFlops(OperatorKind op, ScoreKind score, long n, long k, int protectedTokens) =>
        AlignedReduction.Flops(op, n - protectedTokens, Math.Max(1, k - protectedTokens), shape.Hidden) + TokenScore.Flops(score, n, shape.Hidden, shape.Heads);

    private OperatorCase Case(OperatorKind op, long tokensIn, long tokensOut, string variant) =>
        new(op, (int)tokensIn, (int)tokensOut, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32", variant);

    /// <summary>
    /// A FLOPs count that is a polynomial of degree ≤ 2 in n, evaluated at tensor n: its coefficients come from
    /// the count at n = 0, 1, 2, which is exact for such polynomials.
    /// </summary>
    private static Tensor Polynomial(Func<long, double> count, Tensor n)
    {
        double f0 = count(0), f1 = count(1), f2 = count(2);
        double c2 = (f2 - 2 * f1 + f0) / 2, c1 = f1 - f0 - c2;
        return f0 + c1 * n + c2 * n * n;
    }
}
