using Profiler.Operators.Reduction;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Gumbel-softmax samples, and the operator mixture they drive.</summary>
public sealed class GumbelSoftmaxTests
{
    [Fact]
    public void HardSamplesAreExactlyOneHotAtTheSoftArgmax() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var logits = randn(c.Batch, 4, generator: c.Random(4));
        var noise = GumbelSoftmax.Noise(logits, c.Random(5));
        var soft = GumbelSoftmax.Relax(logits, noise, 0.5, hard: false);
        var hard = GumbelSoftmax.Relax(logits, noise, 0.5, hard: true);
        TensorAssert.Close(ones(c.Batch), soft.sum(-1), "soft sums to 1", 1e-6);
        Assert.True(hard.eq(0).logical_or(hard.eq(1)).all().item<bool>(), "hard values are 0 or 1");
        TensorAssert.Exact(ones(c.Batch), hard.sum(-1), "one 1 per row");
        TensorAssert.Exact(soft.argmax(-1), hard.argmax(-1), "at the soft argmax");
    });

    [Fact]
    public void AHardSampleMixtureIsThePureOperatorExactly() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        var input = c.Input();
        for (int k = 0; k < AlignedReduction.Anchors.Count; k++)
        {
            // A margin of 100 in the logits outweighs any Gumbel noise drawn in practice (P < e^-90).
            var logits = (nn.functional.one_hot(tensor((long)k), 4).to(ScalarType.Float32) * 100).requires_grad_();
            var sample = GumbelSoftmax.Sample(logits, 1.0, hard: true, generator: c.Random(6));
            var mixed = OperatorMixture.Apply(input, c.Ratio, sample);
            var pure = AlignedReduction.Apply(AlignedReduction.Anchors[k], input, c.Ratio);
            TensorAssert.Exact(pure.Tokens, mixed.Tokens, $"{AlignedReduction.Anchors[k]} tokens");
            TensorAssert.Exact(pure.Sizes, mixed.Sizes, $"{AlignedReduction.Anchors[k]} sizes");
            // The straight-through gradient still reaches the logits.
            mixed.Tokens.square().sum().backward();
            Assert.True(logits.grad!.isfinite().all().item<bool>(), "finite logit gradient");
        }
    });

    [Fact]
    public void PerItemWeightsMixEachItemOnItsOwn() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var choice = arange(c.Batch).remainder(4);
        var weights = nn.functional.one_hot(choice, 4).to(ScalarType.Float32);
        var mixed = OperatorMixture.Apply(input, c.Ratio, weights);
        for (int b = 0; b < c.Batch; b++)
        {
            var pure = AlignedReduction.Apply(AlignedReduction.Anchors[b % 4], input, c.Ratio);
            TensorAssert.Exact(pure.Tokens[b], mixed.Tokens[b], $"item {b}");
        }
    });

    [Fact]
    public void NoiseHasTheGumbelMean()
    {
        TorchThreads.Ensure();
        var noise = GumbelSoftmax.Noise(zeros(200_000, dtype: ScalarType.Float64), new Generator(11));
        // Euler–Mascheroni constant; the standard error at this sample size is about 0.003.
        Assert.InRange(noise.mean().item<double>(), 0.5772 - 0.015, 0.5772 + 0.015);
    }

    [Fact]
    public void ANonPositiveTemperatureIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GumbelSoftmax.Relax(zeros(4), zeros(4), 0, hard: false));
}
