using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>The three importance scores, and their names.</summary>
public sealed class ScoreTests
{
    [Fact]
    public void ScoresReadTheRightQuantities() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var layout = new TokenLayout(1, c.Reducible, Math.Max(1, c.Suffix), new GridShape(c.Rows, c.Cols));
        var tokens = randn(c.Batch, layout.Count, c.Channels, generator: c.Random(1));
        var weights = Models.Attention(c.Channels, c.Random(2)).Forward(tokens, needWeights: true).Weights!;
        var norm = TokenScore.Compute(ScoreKind.Norm, tokens, null, layout);
        TensorAssert.Close(tokens.norm(-1), norm, "norm", 1e-6);
        var cls = TokenScore.Compute(ScoreKind.Cls, tokens, weights, layout);
        TensorAssert.Close(weights[.., .., 0].mean([1]), cls, "cls", 1e-6);
        var lastText = TokenScore.Compute(ScoreKind.LastText, tokens, weights, layout);
        TensorAssert.Close(weights[.., .., layout.Count - 1].mean([1]), lastText, "last-text", 1e-6);
        // Each head's row is a distribution, so their mean is too.
        TensorAssert.Close(ones(c.Batch), cls.sum(1), "cls sums to 1", 1e-5);
    });

    [Fact]
    public void AttentionScoresNeedWeightsAndTheirToken()
    {
        var tokens = zeros(1, 5, 4);
        var weights = full(1, 2, 5, 5, 0.2f);
        Assert.Throws<ArgumentException>(() => TokenScore.Compute(ScoreKind.Cls, tokens, null, new TokenLayout(1, 4, 0)));
        Assert.Throws<ArgumentException>(() => TokenScore.Compute(ScoreKind.Cls, tokens, weights, new TokenLayout(0, 4, 1)));
        Assert.Throws<ArgumentException>(() => TokenScore.Compute(ScoreKind.LastText, tokens, weights, new TokenLayout(1, 4, 0)));
        Assert.True(ScoreKind.Cls.NeedsAttentionWeights());
        Assert.False(ScoreKind.Norm.NeedsAttentionWeights());
    }

    [Fact]
    public void NamesRoundTripAndUnknownNamesAreInputErrors()
    {
        foreach (var kind in Enum.GetValues<ScoreKind>())
            Assert.Equal(kind, ScoreKinds.Parse(kind.Name()));
        Assert.Equal(ScoreKind.LastText, ScoreKinds.Parse(" Last-Text "));
        var error = Assert.Throws<InputException>(() => ScoreKinds.Parse("entropy"));
        Assert.Contains("last-text", error.Message);
    }
}
