using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Keep masks: soft ones keep ρ·R tokens in total; hard ones are prune's kept set, and masking is dropping.</summary>
public sealed class KeepMaskTests
{
    [Fact]
    public void SoftMaskKeepsRhoTimesRTokensAndProtectsTheRest() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input(ScalarType.Float64);
        var layout = c.Layout;
        var mask = KeepMask.Soft(input.Scores!, layout, tensor(c.Ratio, dtype: ScalarType.Float64));
        TensorAssert.Close(full(c.Batch, c.Ratio * c.Reducible, dtype: ScalarType.Float64),
            mask.narrow(1, layout.Prefix, layout.Reducible).sum(1), "Σ m = ρ·R", 1e-12);
        Assert.True(mask.ge(0).all().item<bool>() && mask.le(1).all().item<bool>(), "m ∈ [0, 1]");
        TensorAssert.Exact(ones(c.Batch, layout.Prefix, dtype: ScalarType.Float64), mask.narrow(1, 0, layout.Prefix), "prefix kept");
        TensorAssert.Exact(ones(c.Batch, layout.Suffix, dtype: ScalarType.Float64), mask.narrow(1, layout.Prefix + layout.Reducible, layout.Suffix), "suffix kept");
    });

    [Fact]
    public void HardMaskIsPrunesKeptSet() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var mask = KeepMask.Hard(input.Scores!, c.Layout, tensor(c.Ratio, requires_grad: true));
        var pruned = Prune.Apply(input, c.Ratio, needMixing: true);
        // Column sums of prune's one-hot M mark the kept tokens.
        TensorAssert.Exact(pruned.Mixing!.sum(1), mask, "mask = kept set");
        var rows = KeepMask.KeptRows(input.Scores!, c.Layout, tensor(c.Ratio, requires_grad: true));
        TensorAssert.Exact(ones_like(pruned.Sizes), rows, "row weights are 1 in value");
    });

    [Fact]
    public void CandidateCountsWithAOneHotChoiceGiveTheHardMask() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        int keep = c.Layout.KeepCount(c.Ratio);
        int[] counts = [1, keep, c.Reducible];
        var mask = KeepMask.FromCandidates(input.Scores!, c.Layout, counts, tensor(new[] { 0f, 1f, 0f }));
        TensorAssert.Exact(KeepMask.Hard(input.Scores!, c.Layout, tensor(c.Ratio)), mask, "mask");
        Assert.Equal(keep, KeepMask.ExpectedKeep(counts, tensor(new[] { 0f, 1f, 0f })).item<float>());
    });

    [Fact]
    public void AttentionMaskingEqualsDroppingTokensForKeptQueries() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var attention = Models.Attention(c.Channels, c.Random(2));
        var mask = KeepMask.Hard(input.Scores!, c.Layout, tensor(c.Ratio));
        var masked = attention.Forward(input.Tokens, AttentionBias.KeepMask(mask)).Output;
        var pruned = Prune.Apply(input, c.Ratio, needMixing: true);
        var dropped = attention.Forward(pruned.Tokens).Output;
        TensorAssert.Close(dropped, pruned.Mixing!.matmul(masked), "kept queries", 1e-5);
    });

    [Fact]
    public void ADroppedTokenStillSeesItself()
    {
        TorchThreads.Ensure();
        var bias = AttentionBias.KeepMask(tensor(new[] { 1.0, 0.0, 1.0 }).unsqueeze(0));
        Assert.Equal(0.0, bias[0, 0, 1, 1].item<double>());
        Assert.True(bias[0, 0, 0, 1].item<double>() < -27, "others do not see the dropped token");
        Assert.Equal(0.0, bias[0, 0, 1, 0].item<double>(), 9);
    }
}
