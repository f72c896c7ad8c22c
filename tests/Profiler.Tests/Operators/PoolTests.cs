using CsCheck;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Pooling over windows of the grid: a partition into exactly k rectangles; constants stay constant.</summary>
public sealed class PoolTests
{
    [Fact]
    public void ConstantGridStaysConstant() => ReductionCase.Check(ReductionCase.Any, c =>
    {
        var input = c.Input();
        var layout = c.Layout;
        var constant = randn(c.Batch, 1, c.Channels, generator: c.Random(1));
        var tokens = input.Tokens.clone();
        tokens.narrow(1, layout.Prefix, layout.Reducible).copy_(constant);
        var result = Pool.Apply(input with { Tokens = tokens }, c.Ratio);
        int keep = layout.KeepCount(c.Ratio);
        TensorAssert.Close(constant.expand(c.Batch, keep, c.Channels), result.Tokens.narrow(1, layout.Prefix, keep), "pooled constant", 1e-6);
        TensorAssert.Close(input.Sizes.sum(1), result.Sizes.sum(1), "Σ s", 1e-6);
    });

    [Fact]
    public void WindowsPartitionTheGridIntoExactlyKRectanglesInRasterOrder() =>
        Gen.Select(Gen.Int[1, 13], Gen.Int[1, 13]).SelectMany((r, c) => Gen.Int[1, r * c].Select(k => (r, c, k)))
            .Sample((rows, cols, k) =>
            {
                var grid = new GridShape(rows, cols);
                var cell = Pool.Windows(grid, k);
                Assert.Equal(k, cell.Distinct().Count());
                // Window numbers first appear in increasing order (raster order of the windows).
                var firstSeen = cell.Distinct().ToArray();
                Assert.Equal(Enumerable.Range(0, k).Select(i => (long)i), firstSeen);
                for (int w = 0; w < k; w++)
                {
                    var members = Enumerable.Range(0, grid.Count).Where(i => cell[i] == w).ToArray();
                    int top = members.Min(i => i / cols), bottom = members.Max(i => i / cols);
                    int left = members.Min(i => i % cols), right = members.Max(i => i % cols);
                    Assert.Equal((bottom - top + 1) * (right - left + 1), members.Length);
                }
            }, iter: 300, threads: 1);

    [Theory]
    [InlineData(12, 12, 2)]
    [InlineData(12, 12, 3)]
    [InlineData(24, 24, 2)]
    [InlineData(8, 12, 4)]
    [InlineData(6, 9, 3)]
    public void EvenlyDividedGridsGetPlainStridedWindows(int rows, int cols, int p)
    {
        var cell = Pool.Windows(new GridShape(rows, cols), rows / p * (cols / p));
        for (int i = 0; i < rows * cols; i++)
            Assert.Equal((i / cols / p) * (cols / p) + (i % cols / p), cell[i]);
    }

    [Fact]
    public void TwelveByTwelveToHalfUsesOneAndTwoPatchWindows()
    {
        // 72 windows: 9 bands (heights 1,1,2,…) of 8 windows (widths 1,2,1,2,…): documented uneven behaviour.
        var cell = Pool.Windows(new GridShape(12, 12), 72);
        var sizes = cell.GroupBy(w => w).Select(g => g.Count()).ToArray();
        Assert.Equal(144, sizes.Sum());
        Assert.All(sizes, s => Assert.InRange(s, 1, 4));
    }

    [Fact]
    public void ALayoutWithoutAGridIsRefused()
    {
        var input = ReductionInput.Create(zeros(1, 5, 2), new TokenLayout(1, 4, 0), scores: zeros(1, 5));
        var error = Assert.Throws<ArgumentException>(() => Pool.Apply(input, 0.5));
        Assert.Contains("grid", error.Message);
    }
}
