using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>
/// Gradients with respect to α, ρ, the operator logits and the inputs are finite, non-zero where the operator
/// depends on the quantity, and match central finite differences in float64.
/// </summary>
public sealed class GradientTests
{
    private const ScalarType F64 = ScalarType.Float64;
    private const double Step = 1e-6;


    [Fact]
    public void AlphaGradientMatchesFiniteDifferences() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        var input = c.Input(F64);
        var (wTokens, wSizes) = LossWeights(c, input.Layout.OutputCount(c.Ratio));
        // One α inside each segment, away from the anchors where O has a kink.
        foreach (var alpha0 in new[] { 0.1, 0.4, 0.8 })
        {
            double At(double a) => Value(ContinuousReduction.Apply(input, c.Ratio, tensor(a, dtype: F64)), wTokens, wSizes);
            var alpha = tensor(alpha0, dtype: F64, requires_grad: true);
            var result = ContinuousReduction.Apply(input, c.Ratio, alpha);
            Loss(result, wTokens, wSizes).backward();
            double analytic = alpha.grad!.item<double>();
            double numeric = (At(alpha0 + Step) - At(alpha0 - Step)) / (2 * Step);
            AssertMatches(numeric, analytic, $"dL/dα at α={alpha0}");
            // dO/dα is the difference of the segment's anchors; it vanishes only where they coincide.
            var (lower, upper) = ContinuousReduction.Segment(alpha0);
            var difference = TensorAssert.MaxDiff(
                AlignedReduction.Apply(AlignedReduction.Anchors[lower], input, c.Ratio).Tokens,
                AlignedReduction.Apply(AlignedReduction.Anchors[upper], input, c.Ratio).Tokens);
            if (difference > 1e-9) Assert.True(Math.Abs(analytic) > 1e-12, $"dL/dα at α={alpha0} is zero");
        }
    });

    [Fact]
    public void RatioGradientThroughTheSoftMaskMatchesFiniteDifferences() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input(F64);
        var attention = Models.Attention(c.Channels, c.Random(2), F64);
        var weight = randn(input.Tokens.shape, dtype: F64, generator: c.Random(7));
        // ρ·R halfway between two counts, where the soft mask is smooth in ρ.
        double rho0 = (Math.Floor(c.Ratio * c.Reducible) + 0.5) / c.Reducible;
        Tensor At(Tensor rho) =>
            (attention.Forward(input.Tokens, AttentionBias.KeepMask(KeepMask.Soft(input.Scores!, c.Layout, rho))).Output * weight).sum();
        var ratio = tensor(rho0, dtype: F64, requires_grad: true);
        At(ratio).backward();
        double analytic = ratio.grad!.item<double>();
        double numeric = (At(tensor(rho0 + Step, dtype: F64)).item<double>() - At(tensor(rho0 - Step, dtype: F64)).item<double>()) / (2 * Step);
        AssertMatches(numeric, analytic, "dL/dρ");
        Assert.True(Math.Abs(analytic) > 1e-9, "dL/dρ is zero");
    });

    [Fact]
    public void RatioGradientReachesThePhysicallyReducedModelThroughKeptRows() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        // Straight-through: the value is constant in ρ, so the check is the estimator's own derivative:
        // ∂/∂ρ Σ_j v_j·s'_j·r_j = R·v_b·s'_b for the lowest-ranked kept row b, zero elsewhere.
        var input = c.Input(F64);
        var result = ContinuousReduction.Apply(input, c.Ratio, 0.75);
        var ratio = tensor(c.Ratio, dtype: F64, requires_grad: true);
        var rows = KeepMask.KeptRows(input.Scores!, c.Layout, ratio);
        var v = randn(rows.shape, dtype: F64, generator: c.Random(8));
        (v * result.Sizes * rows).sum().backward();
        var layout = c.Layout;
        int keep = layout.KeepCount(c.Ratio);
        var blockScores = input.Scores!.narrow(1, layout.Prefix, layout.Reducible);
        var lowest = blockScores.sort(1, descending: true, stable: true).Indices.select(1, keep - 1);
        // Row of the lowest-ranked kept token among the kept tokens in original order.
        var keptMask = blockScores.ge(blockScores.gather(1, lowest.unsqueeze(1)));
        var row = keptMask.to(ScalarType.Int64).cumsum(1).gather(1, lowest.unsqueeze(1)).squeeze(1) - 1 + layout.Prefix;
        double expected = (c.Reducible * v.gather(1, row.unsqueeze(1)) * result.Sizes.gather(1, row.unsqueeze(1))).sum().item<double>();
        AssertMatches(expected, ratio.grad!.item<double>(), "dL/dρ through kept rows");
    });

    [Fact]
    public void InputGradientsMatchFiniteDifferences() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        var baseInput = c.Input(F64);
        var (wTokens, wSizes) = LossWeights(c, baseInput.Layout.OutputCount(c.Ratio));
        // α = 0.4 mixes the reweight and pool anchors: tokens, sizes and scores all reach the output.
        var tokens = baseInput.Tokens.detach().requires_grad_();
        var sizes = baseInput.Sizes.detach().requires_grad_();
        var scores = baseInput.Scores!.detach().requires_grad_();
        var keys = baseInput.Keys!.detach().requires_grad_();
        var input = baseInput with { Tokens = tokens, Sizes = sizes, Scores = scores, Keys = keys };
        Loss(ContinuousReduction.Apply(input, c.Ratio, tensor(0.4, dtype: F64)), wTokens, wSizes).backward();
        var g = c.Random(9);
        foreach (var (name, param, with) in new (string, Tensor, Func<Tensor, ReductionInput>)[]
                 {
                     ("tokens", tokens, t => baseInput with { Tokens = t }),
                     ("sizes", sizes, s => baseInput with { Sizes = s }),
                     ("scores", scores, s => baseInput with { Scores = s }),
                 })
        {
            var direction = randn(param.shape, dtype: F64, generator: g);
            double analytic = (param.grad! * direction).sum().item<double>();
            double At(Tensor p) => Value(ContinuousReduction.Apply(with(p), c.Ratio, tensor(0.4, dtype: F64)), wTokens, wSizes);
            double numeric = (At(param.detach() + Step * direction) - At(param.detach() - Step * direction)) / (2 * Step);
            Assert.True(param.grad!.isfinite().all().item<bool>(), $"{name} gradient finite");
            AssertMatches(numeric, analytic, $"dL/d{name}");
            Assert.True(param.grad!.abs().max().item<double>() > 1e-9, $"dL/d{name} is zero");
        }
        // The cells come from discrete choices on the keys: no gradient reaches them.
        Assert.True(keys.grad is null || keys.grad.eq(0).all().item<bool>(), "keys get no gradient");
    });

    [Fact]
    public void OperatorLogitGradientMatchesFiniteDifferences() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        var input = c.Input(F64);
        var (wTokens, wSizes) = LossWeights(c, input.Layout.OutputCount(c.Ratio));
        var noise = GumbelSoftmax.Noise(zeros(4, dtype: F64), c.Random(10));
        var logits0 = randn(4, dtype: F64, generator: c.Random(11));
        double At(Tensor l) => Value(OperatorMixture.Apply(input, c.Ratio, GumbelSoftmax.Relax(l, noise, 0.7, hard: false)), wTokens, wSizes);
        var logits = logits0.clone().requires_grad_();
        Loss(OperatorMixture.Apply(input, c.Ratio, GumbelSoftmax.Relax(logits, noise, 0.7, hard: false)), wTokens, wSizes).backward();
        var direction = randn(4, dtype: F64, generator: c.Random(12));
        double analytic = (logits.grad! * direction).sum().item<double>();
        double numeric = (At(logits0 + Step * direction) - At(logits0 - Step * direction)) / (2 * Step);
        AssertMatches(numeric, analytic, "dL/dlogits");
        Assert.True(logits.grad!.abs().max().item<double>() > 1e-9, "dL/dlogits is zero");
    });

    private static (Tensor Tokens, Tensor Sizes) LossWeights(ReductionCase c, int outputCount)
    {
        var g = c.Random(13);
        return (randn(c.Batch, outputCount, c.Channels, dtype: F64, generator: g), randn(c.Batch, outputCount, dtype: F64, generator: g));
    }

    private static Tensor Loss(ReductionResult r, Tensor wTokens, Tensor wSizes) =>
        (r.Tokens * wTokens).sum() + (r.Sizes * wSizes).sum();

    private static double Value(ReductionResult r, Tensor wTokens, Tensor wSizes)
    {
        using var _ = no_grad();
        return Loss(r, wTokens, wSizes).item<double>();
    }

    private static void AssertMatches(double numeric, double analytic, string what) =>
        Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * (1 + Math.Abs(numeric)),
            $"{what}: analytic {analytic:G10} vs finite difference {numeric:G10}");
}
