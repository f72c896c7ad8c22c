using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>
/// How each published stand-alone operator relates to its aligned anchor (prune is equal outright: see
/// <see cref="PruneTests"/>), and the temperature chain prune ← reweight → pool.
/// </summary>
public sealed class AnchorRelationTests
{
    [Fact]
    public void ReweightAnchorIsThePoolAnchorOfTheStandAloneReweight() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input(ScalarType.Float64);
        var options = new AlignedOptions(Temperature: 0.8);
        var anchor = AlignedReduction.Apply(OperatorKind.Reweight, input, c.Ratio, options);
        var reweighted = Reweight.Apply(input, c.Ratio, temperature: 0.8);
        var pooled = AlignedReduction.Apply(OperatorKind.Pool, input with { Sizes = reweighted.Sizes }, c.Ratio);
        TensorAssert.Close(pooled.Tokens, anchor.Tokens, "tokens", 1e-12);
        TensorAssert.Close(pooled.Sizes, anchor.Sizes, "sizes", 1e-12);
    });

    [Fact]
    public void ReweightAnchorRunsFromPruneToPoolWithTemperature() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input(ScalarType.Float64);
        // τ = 1e-6 left a weight of 1e-8 on a neighbour within about 1e-5 of the nearest (a random near-tie, seen
        // once in CI); at 1e-10 a tie must be closer than about 2e-9 to show at the tolerance.
        var cold = AlignedReduction.Apply(OperatorKind.Reweight, input, c.Ratio, new AlignedOptions(Temperature: 1e-10));
        var hot = AlignedReduction.Apply(OperatorKind.Reweight, input, c.Ratio, new AlignedOptions(Temperature: 1e9));
        var prune = Prune.Apply(input, c.Ratio);
        var pool = AlignedReduction.Apply(OperatorKind.Pool, input, c.Ratio);
        TensorAssert.Close(prune.Tokens, cold.Tokens, "τ→0 tokens", 1e-9);
        TensorAssert.Close(prune.Sizes, cold.Sizes, "τ→0 sizes", 1e-9);
        TensorAssert.Close(pool.Tokens, hot.Tokens, "τ→∞ tokens", 1e-6);
        TensorAssert.Close(pool.Sizes, hot.Sizes, "τ→∞ sizes", 1e-6);
    });

    [Theory]
    [InlineData(9, 9, 3)]
    [InlineData(6, 9, 3)]
    [InlineData(10, 5, 5)]
    public void PoolAnchorEqualsStandAlonePoolWhenScoresPickWindowCentres(int rows, int cols, int p)
    {
        TorchThreads.Ensure();
        var grid = new GridShape(rows, cols);
        var layout = TokenLayout.Vision(grid, prefix: 1, suffix: 2);
        var g = new Generator(17);
        var tokens = randn(2, layout.Count, 4, dtype: ScalarType.Float64, generator: g);
        var sizes = 1 + rand(2, layout.Count, dtype: ScalarType.Float64, generator: g);
        // Score 1 at the centre of each p×p window, 0 elsewhere: the kept tokens are the centres, and with p odd
        // every patch is strictly nearest its own window's centre.
        var scores = zeros(2, layout.Count, dtype: ScalarType.Float64);
        for (int i = 0; i < grid.Count; i++)
        {
            if (i / cols % p == p / 2 && i % cols % p == p / 2) scores.select(1, 1 + i).fill_(1.0);
        }
        var input = new ReductionInput(tokens, sizes, layout, Scores: scores);
        double ratio = (double)(rows / p * (cols / p)) / grid.Count;
        var standAlone = Pool.Apply(input, ratio);
        var anchor = AlignedReduction.Apply(OperatorKind.Pool, input, ratio);
        TensorAssert.Close(standAlone.Tokens, anchor.Tokens, "tokens", 1e-12);
        TensorAssert.Close(standAlone.Sizes, anchor.Sizes, "sizes", 1e-12);
        TensorAssert.Close(standAlone.Positions!, anchor.Positions!, "positions", 1e-12);
    }

    [Fact]
    public void MergeAnchorEqualsToMeWhenScoresKeepToMesSurvivors() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        // Block tokens come in pairs (A at 2m, B at 2m+1) whose keys are nearly equal, so ToMe at ρ = ½ merges every
        // A token into its B partner; scores favour B tokens, so the aligned anchor keeps exactly the B tokens, and
        // each A token's most similar kept token is its partner. Six or more channels keep random keys apart.
        c = c with { Channels = Math.Max(c.Channels, 6) };
        var input = c.Input(ScalarType.Float64);
        var layout = c.Layout;
        int pairs = c.Reducible / 2;
        var g = c.Random(3);
        var pairKeys = randn(c.Batch, pairs, c.Channels, dtype: ScalarType.Float64, generator: g).repeat_interleave(2, 1);
        var keys = input.Keys!.clone();
        keys.narrow(1, layout.Prefix, 2 * pairs).copy_(pairKeys + 1e-3 * randn(pairKeys.shape, dtype: ScalarType.Float64, generator: g));
        var scores = input.Scores!.clone();
        var blockScores = scores.narrow(1, layout.Prefix, 2 * pairs);
        blockScores.copy_(arange(2 * pairs, dtype: ScalarType.Float64).remainder(2).unsqueeze(0) + 10);
        if (c.Reducible % 2 == 1) scores.select(1, layout.Prefix + c.Reducible - 1).fill_(20.0);
        var paired = input with { Keys = keys, Scores = scores };
        double ratio = (c.Reducible - pairs) / (double)c.Reducible;
        var tome = Merge.Apply(paired, ratio);
        var anchor = AlignedReduction.Apply(OperatorKind.Merge, paired, ratio);
        TensorAssert.Close(tome.Tokens, anchor.Tokens, "tokens", 1e-12);
        TensorAssert.Close(tome.Sizes, anchor.Sizes, "sizes", 1e-12);
    });

    [Fact]
    public void EveryKeptTokenOwnsItsMergeCellEvenWhenAllKeysTie() => ReductionCase.Check(ReductionCase.Reducing, c =>
    {
        // With every key equal, each kept token is as similar to every other kept token as to itself; it must still
        // stand for itself: its output size includes its own, and no size is lost.
        var input = c.Input(ScalarType.Float64);
        var tied = input with { Keys = ones_like(input.Keys!) };
        var merged = AlignedReduction.Apply(OperatorKind.Merge, tied, c.Ratio);
        var pruned = AlignedReduction.Apply(OperatorKind.Prune, tied, c.Ratio);
        Assert.True((merged.Sizes >= pruned.Sizes).all().item<bool>(), $"a kept token lost its own size: {c}");
        TensorAssert.Close(input.Sizes.sum(1), merged.Sizes.sum(1), "total size", 1e-12);
    });
}
