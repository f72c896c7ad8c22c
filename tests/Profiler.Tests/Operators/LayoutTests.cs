using Profiler.Operators.Reduction;

namespace Profiler.Tests.Operators;

/// <summary>Token layouts, keep counts and grids.</summary>
public sealed class LayoutTests
{
    [Theory]
    [InlineData(10, 0.7, 7)]
    [InlineData(144, 0.5, 72)]
    [InlineData(576, 0.5, 288)]
    [InlineData(576, 0.25, 144)]
    [InlineData(10, 0.01, 1)]
    [InlineData(10, 1.0, 10)]
    [InlineData(3, 0.34, 2)]
    public void KeepCountIsTheCeilingOfRhoTimesR(int reducible, double ratio, int expected)
    {
        var layout = new TokenLayout(1, reducible, 5);
        Assert.Equal(expected, layout.KeepCount(ratio));
        Assert.Equal(expected + 6, layout.OutputCount(ratio));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RatiosOutsideZeroToOneAreRefused(double ratio) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenLayout(0, 4, 0).KeepCount(ratio));

    [Fact]
    public void ProtectedMaskRoundTripsAndMustLeaveOneReducibleBlock()
    {
        bool[] mask = [true, false, false, false, true, true];
        var layout = TokenLayout.FromProtectedMask(mask);
        Assert.Equal(new TokenLayout(1, 3, 2), layout);
        Assert.Equal(mask, layout.ProtectedMask());
        Assert.Throws<ArgumentException>(() => TokenLayout.FromProtectedMask([false, true, false]));
        Assert.Equal(new TokenLayout(2, 0, 0), TokenLayout.FromProtectedMask([true, true]));
    }

    [Fact]
    public void AGridMustHoldTheReducibleTokens() =>
        Assert.Throws<ArgumentException>(() => new TokenLayout(1, 10, 0, new GridShape(3, 3)));

    [Theory]
    [InlineData(144, 12, 12)]
    [InlineData(576, 24, 24)]
    [InlineData(96, 8, 12)]
    [InlineData(13, 1, 13)]
    public void GridForATokenCountIsTheMostSquare(int tokens, int rows, int cols) =>
        Assert.Equal(new GridShape(rows, cols), GridShape.ForTokenCount(tokens));
}
