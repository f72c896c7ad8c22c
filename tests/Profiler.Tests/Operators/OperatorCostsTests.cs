using Profiler.Core;
using Profiler.Operators;
using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;

namespace Profiler.Tests.Operators;

/// <summary>Cost accounting: dispatch, variants and the orders of magnitude DESIGN.md quotes.</summary>
public sealed class OperatorCostsTests
{
    private static OperatorCase Case(OperatorKind op, int n, int k, Preset preset, string variant = "") =>
        new(op, n, k, preset.Shape.Hidden, preset.Shape.Heads, preset.Shape.MlpSize, 1, "float32", variant);

    [Fact]
    public void LayerCasesUseTheLayersOwnCounts()
    {
        var s = Preset.Tiny.Shape;
        Assert.Equal(Attention.Flops(157, s.Hidden), OperatorCosts.Flops(Case(OperatorKind.Attention, 157, 157, Preset.Tiny)));
        Assert.Equal(Mlp.Flops(157, s.Hidden, s.MlpSize), OperatorCosts.Flops(Case(OperatorKind.Mlp, 157, 157, Preset.Tiny)));
        Assert.Equal(EncoderBlock.LayerNormFlops(157, s.Hidden), OperatorCosts.Flops(Case(OperatorKind.LayerNorm, 157, 157, Preset.Tiny)));
        Assert.Equal(EncoderBlock.Flops(157, s.Hidden, s.MlpSize), OperatorCosts.Flops(Case(OperatorKind.Block, 157, 157, Preset.Tiny)));
        Assert.Equal(Attention.Bytes(157, s.Hidden), OperatorCosts.Bytes(Case(OperatorKind.Attention, 157, 157, Preset.Tiny)));
    }

    [Fact]
    public void ReductionCostsHaveTheExpectedSizes()
    {
        var tiny = Preset.Tiny;
        double block = OperatorCosts.Flops(Case(OperatorKind.Block, 145, 145, tiny));
        Assert.Equal(0, OperatorCosts.Flops(Case(OperatorKind.Prune, 144, 72, tiny, "cls")));
        // DESIGN.md: a bipartite merge at 144 tokens is about 2% of a d=128 layer's FLOPs.
        double merge = OperatorCosts.Flops(Case(OperatorKind.Merge, 144, 72, tiny));
        Assert.InRange(merge / block, 0.015, 0.03);
        // One round: 2·|A|·|B|·d similarities dominate.
        Assert.InRange(merge, 2.0 * 72 * 72 * 128, 1.1 * 2.0 * 72 * 72 * 128);
        double pool = OperatorCosts.Flops(Case(OperatorKind.Pool, 144, 72, tiny));
        double reweight = OperatorCosts.Flops(Case(OperatorKind.Reweight, 144, 72, tiny, "norm"));
        Assert.True(reweight < pool && pool < merge, $"reweight {reweight} < pool {pool} < merge {merge}");
        Assert.Equal(2.0 * 145 * 128 + 145, OperatorCosts.Flops(Case(OperatorKind.Score, 145, 145, tiny, "norm")));
        Assert.Equal(5.0 * 145, OperatorCosts.Flops(Case(OperatorKind.Score, 145, 145, tiny, "cls")));
    }

    [Fact]
    public void MergeBelowHalfCountsEveryRound()
    {
        var llava = Preset.Llava157B;
        double half = OperatorCosts.Flops(Case(OperatorKind.Merge, 576, 288, llava));
        double quarter = OperatorCosts.Flops(Case(OperatorKind.Merge, 576, 144, llava));
        // The second round works on 288 tokens: about a quarter of the first round's similarities more.
        Assert.InRange(quarter / half, 1.2, 1.3);
    }

    [Fact]
    public void AlignedVariantsCountTheAlignedAnchors()
    {
        var llava = Preset.Llava157B;
        foreach (var op in AlignedReduction.Anchors)
        {
            double expected = AlignedReduction.Flops(op, 576, 288, 4096);
            Assert.Equal(expected, OperatorCosts.Flops(Case(op, 576, 288, llava, "aligned:last-text")));
            Assert.Equal(expected, OperatorCosts.Flops(Case(op, 576, 288, llava, "aligned")));
        }
        // At ρ = ½ the aligned merge compares the 288 dropped tokens with the 288 kept ones, as ToMe compares A with B.
        double tome = OperatorCosts.Flops(Case(OperatorKind.Merge, 576, 288, llava));
        double aligned = OperatorCosts.Flops(Case(OperatorKind.Merge, 576, 288, llava, "aligned"));
        Assert.InRange(aligned / tome, 0.95, 1.05);
    }

    [Fact]
    public void VariantsParseAndPrintCanonically()
    {
        Assert.Equal(new ReductionVariant(null, false), ReductionVariant.Parse(""));
        Assert.Equal(new ReductionVariant(ScoreKind.Cls, false), ReductionVariant.Parse("cls"));
        Assert.Equal(new ReductionVariant(null, true), ReductionVariant.Parse("aligned"));
        Assert.Equal(new ReductionVariant(ScoreKind.LastText, true), ReductionVariant.Parse("aligned:last-text"));
        foreach (var text in new[] { "", "norm", "aligned", "aligned:cls" })
            Assert.Equal(text, ReductionVariant.Parse(text).ToString());
        Assert.Throws<InputException>(() => ReductionVariant.Parse("alignedcls"));
        Assert.Throws<InputException>(() => ReductionVariant.Parse("entropy"));
    }

    [Fact]
    public void BadCasesAreInputErrors()
    {
        var tiny = Preset.Tiny;
        Assert.Throws<InputException>(() => OperatorCosts.Flops(Case(OperatorKind.Score, 145, 145, tiny)));
        Assert.Throws<InputException>(() => OperatorCosts.Flops(Case(OperatorKind.Score, 145, 145, tiny, "aligned:cls")));
        Assert.Throws<InputException>(() => OperatorCosts.Bytes(Case(OperatorKind.Prune, 144, 72, tiny) with { DType = "int8" }));
        Assert.Throws<InputException>(() => OperatorCosts.Flops(Case(OperatorKind.Prune, 144, 200, tiny)));
        Assert.Equal(2 * OperatorCosts.Bytes(Case(OperatorKind.Pool, 144, 72, tiny)),
            OperatorCosts.Bytes(Case(OperatorKind.Pool, 144, 72, tiny) with { DType = "float64" }));
    }
}
