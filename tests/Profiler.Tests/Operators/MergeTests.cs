using CsCheck;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Bipartite merging keeps mass and size, and merging a token with its copy gives the token.</summary>
public sealed class MergeTests
{
    private static readonly Gen<ReductionCase> AnyRatio =
        ReductionCase.Any.SelectMany(c => Gen.Double[0.05, 0.95].Select(r => c with { Ratio = r }));

    [Fact]
    public void KeepsSizeWeightedSumAndTotalSize() => ReductionCase.Check(AnyRatio, c =>
    {
        // Ratios below ½ need several bipartite rounds; the totals must survive them too.
        var input = c.Input(ScalarType.Float64);
        var result = Merge.Apply(input, c.Ratio);
        Assert.Equal(c.Layout.OutputCount(c.Ratio), result.Tokens.shape[1]);
        TensorAssert.Close((input.Tokens * input.Sizes.unsqueeze(-1)).sum(1),
            (result.Tokens * result.Sizes.unsqueeze(-1)).sum(1), "Σ s·x", 1e-12);
        TensorAssert.Close(input.Sizes.sum(1), result.Sizes.sum(1), "Σ s", 1e-12);
    });

    [Fact]
    public void MergingATokenWithItsCopyGivesThatToken() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        // Block token 1 (set B) becomes a copy of block token 0 (set A), keys included: cosine similarity 1 is
        // the best edge (float64, so no other pair comes within rounding), and removing one token merges exactly
        // that pair, into the survivor's row 0.
        var input = c.Input(ScalarType.Float64);
        int p = c.Prefix;
        var tokens = input.Tokens.clone();
        var keys = input.Keys!.clone();
        tokens.select(1, p + 1).copy_(tokens.select(1, p));
        keys.select(1, p + 1).copy_(keys.select(1, p));
        input = input with { Tokens = tokens, Keys = keys };
        double ratio = (c.Reducible - 1.0) / c.Reducible;
        var result = Merge.Apply(input, ratio);
        TensorAssert.Close(tokens.select(1, p), result.Tokens.select(1, p), "merged copy", 1e-12);
        TensorAssert.Close(input.Sizes.select(1, p) + input.Sizes.select(1, p + 1), result.Sizes.select(1, p), "merged size", 1e-12);
        // Every other token survives (a one-token cell's mean s·x/s is x up to rounding).
        TensorAssert.Close(tokens.narrow(1, p + 2, c.Reducible - 2), result.Tokens.narrow(1, p + 1, c.Reducible - 2), "other tokens", 1e-12);
    });

    [Fact]
    public void SurvivorsKeepTheirOrderAndPartnersFollowToMe()
    {
        TorchThreads.Ensure();
        // Keys on the unit circle: A tokens (even) at angles 0, 1, 2, B tokens (odd) at 0.55, 1.6, 2.65.
        var angles = tensor(new[] { 0.0, 0.55, 1.0, 1.6, 2.0, 2.65 });
        var keys = stack([angles.cos(), angles.sin()], 1).unsqueeze(0);
        var tokens = stack([arange(6.0), zeros(6, dtype: ScalarType.Float64)], 1).unsqueeze(0);
        var input = new ReductionInput(tokens, ones(1, 6, dtype: ScalarType.Float64), new TokenLayout(0, 6, 0), keys);
        var cell = Merge.Matching(keys, input.Sizes, 4);
        // Best partners by angle: A0→B1 (0.55 apart), A2→B1 (0.45), A4→B3 (0.4); the best two edges merge.
        Assert.Equal(new long[] { 0, 1, 1, 2, 2, 3 }, cell.data<long>().ToArray());
        var result = Merge.Apply(input, 4.0 / 6);
        Assert.Equal(new[] { 0.0, 1.5, 3.5, 5.0 }, result.Tokens.select(2, 0).data<double>().ToArray());
        Assert.Equal(new[] { 1.0, 2.0, 2.0, 1.0 }, result.Sizes.data<double>().ToArray());
    }

    [Fact]
    public void MissingKeysAreRefused()
    {
        var input = ReductionInput.Create(zeros(1, 5, 2), new TokenLayout(1, 4, 0));
        var error = Assert.Throws<ArgumentException>(() => Merge.Apply(input, 0.5));
        Assert.Contains("Keys", error.Message);
    }
}
