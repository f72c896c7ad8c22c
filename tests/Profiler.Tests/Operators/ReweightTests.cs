using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Reweighting scales sizes by weights in (0, 1]; hard weights are attention masking.</summary>
public sealed class ReweightTests
{
    [Fact]
    public void KeptTokensWeighOneAndTheOthersLess() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var layout = c.Layout;
        int keep = layout.KeepCount(c.Ratio);
        var blockScores = input.Scores!.narrow(1, layout.Prefix, layout.Reducible);
        var soft = Reweight.Weights(blockScores, keep, 0.7, hard: false);
        var hard = Reweight.Weights(blockScores, keep, 0.7, hard: true);
        Assert.Equal(keep * c.Batch, hard.sum().item<float>());
        // Where hard is 1 the soft weight is exactly 1; elsewhere it lies strictly between 0 and 1.
        Assert.True(soft.masked_select(hard.eq(1)).eq(1).all().item<bool>(), "kept tokens weigh exactly 1");
        var others = soft.masked_select(hard.eq(0));
        Assert.True(others.gt(0).all().item<bool>() && others.lt(1).all().item<bool>(), "dropped tokens weigh in (0, 1)");
        var result = Reweight.Apply(input, c.Ratio, 0.7);
        Assert.Same(input.Tokens, result.Tokens);
        TensorAssert.Exact(input.Sizes.narrow(1, layout.Prefix, layout.Reducible) * soft,
            result.Sizes.narrow(1, layout.Prefix, layout.Reducible), "sizes w·s");
    });

    [Fact]
    public void HardWeightsWithProportionalAttentionEqualAttentionOnThePrunedTokens() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var attention = Models.Attention(c.Channels, c.Random(2));
        var masked = Reweight.Apply(input, c.Ratio, hard: true);
        var pruned = Prune.Apply(input, c.Ratio, needMixing: true);
        var full = attention.Forward(masked.Tokens, AttentionBias.Proportional(masked.Sizes)).Output;
        var physical = attention.Forward(pruned.Tokens, AttentionBias.Proportional(pruned.Sizes)).Output;
        // Rows of the full output at the kept positions: M's one-hot rows pick them.
        TensorAssert.Close(physical, pruned.Mixing!.matmul(full), "kept queries", 1e-5);
    });
}

/// <summary>Small deterministic modules for the tests.</summary>
internal static class Models
{
    /// <summary>Attention with two heads and weights drawn from <paramref name="generator"/>.</summary>
    public static Attention Attention(int channels, Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        var attention = new Attention(channels, 2);
        using (no_grad())
        {
            foreach (var p in attention.parameters())
                p.copy_(randn(p.shape, generator: generator) * 0.5);
        }
        return attention.to(dtype);
    }
}
