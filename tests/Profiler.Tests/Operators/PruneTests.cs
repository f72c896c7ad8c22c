using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Prune keeps the best-scoring rows, unchanged and in order, and is the aligned operator at α = 0.</summary>
public sealed class PruneTests
{
    [Fact]
    public void RowsAreTheTopScoringInputRowsInOrder() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var layout = c.Layout;
        int keep = layout.KeepCount(c.Ratio);
        var result = Prune.Apply(input, c.Ratio);
        for (int b = 0; b < c.Batch; b++)
        {
            var block = input.Tokens[b].narrow(0, layout.Prefix, layout.Reducible);
            var outBlock = result.Tokens[b].narrow(0, layout.Prefix, keep);
            var scores = input.Scores![b].narrow(0, layout.Prefix, layout.Reducible).data<float>().ToArray();
            var best = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(keep).Order().ToArray();
            int previous = -1;
            for (int j = 0; j < keep; j++)
            {
                // The output row is an input row exactly, later than the previous one, and one of the top scores.
                int source = Enumerable.Range(previous + 1, layout.Reducible - previous - 1)
                    .FirstOrDefault(i => block[i].eq(outBlock[j]).all().item<bool>(), -1);
                Assert.True(source >= 0, $"item {b}: output row {j} is not an input row after row {previous}");
                Assert.Equal(best[j], source);
                previous = source;
            }
        }
    });

    [Fact]
    public void AlignedPruneAndZeroAlphaEqualStandAlonePruneExactly() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var expected = Prune.Apply(input, c.Ratio);
        foreach (var (what, actual) in new[]
                 {
                     ("aligned prune", AlignedReduction.Apply(OperatorKind.Prune, input, c.Ratio)),
                     ("O(0) double", ContinuousReduction.Apply(input, c.Ratio, 0.0)),
                     ("O(0) tensor", ContinuousReduction.Apply(input, c.Ratio, tensor(0.0, requires_grad: true))),
                 })
        {
            TensorAssert.Exact(expected.Tokens, actual.Tokens, $"{what} tokens");
            TensorAssert.Exact(expected.Sizes, actual.Sizes, $"{what} sizes");
            TensorAssert.Exact(expected.Positions!, actual.Positions!, $"{what} positions");
        }
    });

    [Fact]
    public void EqualScoresKeepTheFirstTokens()
    {
        TorchThreads.Ensure();
        var layout = new TokenLayout(1, 6, 0);
        var input = ReductionInput.Create(arange(7f).reshape(1, 7, 1), layout, scores: zeros(1, 7));
        var result = Prune.Apply(input, 0.5);
        Assert.Equal(new[] { 0f, 1f, 2f, 3f }, result.Tokens.data<float>().ToArray());
    }

    [Fact]
    public void MissingScoresAreRefused()
    {
        var input = ReductionInput.Create(zeros(1, 5, 2), new TokenLayout(1, 4, 0));
        var error = Assert.Throws<ArgumentException>(() => Prune.Apply(input, 0.5));
        Assert.Contains("Scores", error.Message);
    }
}
