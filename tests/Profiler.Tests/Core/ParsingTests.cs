using Profiler.Core;

namespace Profiler.Tests.Core;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("16:256:16", 16, 256, 16)]
    [InlineData("8:20:5", 8, 18, 3)]
    [InlineData("32,64,100", 32, 100, 3)]
    [InlineData("100, 32,64,32", 32, 100, 3)]
    public void Token_grids_parse(string text, int first, int last, int count)
    {
        var grid = TokenGrid.Parse(text);
        Assert.Equal(first, grid[0]);
        Assert.Equal(last, grid[^1]);
        Assert.Equal(count, grid.Count);
    }

    [Theory]
    [InlineData("0:10:2")]
    [InlineData("10:5:1")]
    [InlineData("1:2")]
    [InlineData("a,b")]
    [InlineData("-4")]
    [InlineData("")]
    public void Bad_token_grids_are_input_errors(string text) => Assert.Throws<InputException>(() => TokenGrid.Parse(text));

    [Theory]
    [InlineData("5m", 300e9)]
    [InlineData("12ms", 12e6)]
    [InlineData("250us", 250e3)]
    [InlineData("1.5s", 1.5e9)]
    public void Durations_need_and_keep_their_unit(string text, double ns) => Assert.Equal(ns, Latency.Parse(text).Nanoseconds, 6);

    [Theory]
    [InlineData("5")]
    [InlineData("fast")]
    [InlineData("-3s")]
    public void Durations_without_a_unit_are_refused(string text) => Assert.Throws<InputException>(() => Latency.Parse(text));

    [Fact]
    public void Unknown_operator_and_preset_name_the_known_ones()
    {
        var op = Assert.Throws<InputException>(() => OperatorNames.Parse("conv"));
        Assert.Contains("attention", op.Message);
        var preset = Assert.Throws<InputException>(() => Preset.Parse("vit-h"));
        Assert.Contains("vit-b-16", preset.Message);
        Assert.Equal(OperatorKind.LayerNorm, OperatorNames.Parse("LayerNorm"));
    }

    [Fact]
    public void Case_keys_are_unique_per_case()
    {
        var shape = Preset.Tiny.Shape;
        var keys = Enum.GetValues<OperatorKind>().Where(k => !k.IsReduction())
            .SelectMany(k => new[] { 16, 17 }.Select(n => OperatorCase.Dense(k, n, shape).Key)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
