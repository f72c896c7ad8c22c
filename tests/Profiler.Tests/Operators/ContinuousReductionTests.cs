using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>O(α) hits each anchor exactly and moves continuously between them.</summary>
public sealed class ContinuousReductionTests
{
    [Fact]
    public void EachAnchorAlphaGivesThatAnchorExactly() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var options = new AlignedOptions(Temperature: 0.6);
        for (int k = 0; k < AlignedReduction.Anchors.Count; k++)
        {
            var op = AlignedReduction.Anchors[k];
            double alpha = AlignedReduction.AnchorAlphas[k];
            var expected = AlignedReduction.Apply(op, input, c.Ratio, options);
            foreach (var (path, actual) in new[]
                     {
                         ("double", ContinuousReduction.Apply(input, c.Ratio, alpha, options)),
                         ("tensor", ContinuousReduction.Apply(input, c.Ratio, tensor(alpha, requires_grad: true), options)),
                     })
            {
                TensorAssert.Exact(expected.Tokens, actual.Tokens, $"O({alpha}) {path} tokens");
                TensorAssert.Exact(expected.Sizes, actual.Sizes, $"O({alpha}) {path} sizes");
            }
        }
    });

    [Fact]
    public void SmallStepsInAlphaMakeSmallChanges() =>
        ReductionCase.Check(ReductionCase.Any, c =>
        {
            var input = c.Input(ScalarType.Float64);
            var anchors = AlignedReduction.Anchors.Select(op => AlignedReduction.Apply(op, input, c.Ratio).Tokens).ToArray();
            double spread = anchors.SelectMany(a => anchors.Select(b => TensorAssert.MaxDiff(a, b))).Max();
            const double step = 1e-4;
            // Slope of a segment is at most spread/width, and the narrowest segment is 0.25 wide.
            double bound = spread * step / 0.25 + 1e-12;
            var alphas = AlignedReduction.AnchorAlphas.SelectMany(a => new[] { a - step, a })
                .Append(new System.Random(c.Seed).NextDouble() * (1 - step))
                .Where(a => a >= 0 && a + step <= 1);
            foreach (var alpha in alphas)
            {
                var here = ContinuousReduction.Apply(input, c.Ratio, tensor(alpha, dtype: ScalarType.Float64)).Tokens;
                var next = ContinuousReduction.Apply(input, c.Ratio, tensor(alpha + step, dtype: ScalarType.Float64)).Tokens;
                double change = TensorAssert.MaxDiff(here, next);
                Assert.True(change <= bound, $"α {alpha:R} → {alpha + step:R}: change {change:G4} > bound {bound:G4}");
            }
        });

    [Fact]
    public void AnchorWeightsAreHatFunctionsThatSumToOne()
    {
        foreach (var alpha in new[] { 0.0, 0.1, 0.25, 0.3, 0.5, 0.75, 1.0 })
        {
            var w = ContinuousReduction.AnchorWeights(tensor(alpha, dtype: ScalarType.Float64)).data<double>().ToArray();
            Assert.Equal(1.0, w.Sum(), 12);
            Assert.All(w, x => Assert.InRange(x, 0.0, 1.0));
            int at = Array.IndexOf(AlignedReduction.AnchorAlphas.ToArray(), alpha);
            if (at >= 0) Assert.Equal(1.0, w[at]);
        }
        Assert.Equal(new[] { 0.0, 0.0, 0.5, 0.5 }, ContinuousReduction.AnchorWeights(tensor(0.75, dtype: ScalarType.Float64)).data<double>().ToArray());
    }

    [Fact]
    public void AlphaOutsideTheUnitIntervalIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContinuousReduction.Segment(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContinuousReduction.Segment(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContinuousReduction.Segment(double.NaN));
        Assert.Equal((2, 3), ContinuousReduction.Segment(1.0));
        Assert.Equal((1, 2), ContinuousReduction.Segment(0.25));
    }
}
