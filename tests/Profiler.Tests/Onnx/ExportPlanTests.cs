using Profiler.Backends.Onnx.Export;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Tasks.Network;

namespace Profiler.Tests.Onnx;

/// <summary>Plans checked against the model before anything is exported, with the rules FixedReduction runs them by.</summary>
public sealed class ExportPlanTests
{
    private const int Layers = 4;
    private static readonly Profiler.Operators.Reduction.TokenLayout Input = VqaModel.InputLayout;

    [Theory]
    [InlineData("""[{"layer": 4, "keep": 75, "operator": "prune", "score": "cls"}]""", "layers 0..3")]
    [InlineData("""[{"layer": -1, "keep": 75, "operator": "merge"}]""", "layers 0..3")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "merge"}, {"layer": 1, "keep": 40, "operator": "merge"}]""", "second reduction")]
    [InlineData("""[{"layer": 1, "keep": 3, "operator": "merge"}]""", "keep 3 must be in 4..147")]
    [InlineData("""[{"layer": 1, "keep": 148, "operator": "merge"}]""", "keep 148 must be in 4..147")]
    [InlineData("""[{"layer": 0, "keep": 40, "operator": "merge"}, {"layer": 1, "keep": 41, "operator": "merge"}]""", "keep 41 must be in 4..40")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "prune"}]""", "give the step a score")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "merge", "variant": "aligned"}]""", "give the step a score")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "prune", "score": "random"}]""", "random scores")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "prune", "score": "loudness"}]""", "unknown score")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "attention"}]""", "not a reduction")]
    [InlineData("""[{"layer": 0, "keep": 80, "operator": "merge"}, {"layer": 2, "keep": 30, "operator": "pool"}]""", "patch grid")]
    public void An_impossible_plan_is_refused_in_one_line(string json, string expected)
    {
        var error = Assert.Throws<InputException>(() => ExportPlan.Resolve(ReductionPlan.Parse("plan", json), Layers, Input));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Steps_follow_the_tokens_each_layer_sees()
    {
        var steps = ExportPlan.Resolve(ReductionPlan.Parse("plan", """
            [{"layer": 0, "keep": 100, "operator": "reweight", "score": "norm"},
             {"layer": 1, "keep": 147, "operator": "merge"},
             {"layer": 2, "keep": 39, "operator": "pool"},
             {"layer": 3, "keep": 20, "operator": "pool", "variant": "aligned", "score": "cls"}]
            """), Layers, Input);
        // The stand-alone reweight keeps every token and the grid, so the merge that keeps all 147 does nothing and
        // the stand-alone pool still finds the grid.
        Assert.Equal(97, steps[0]!.Keep);
        Assert.Equal(144, steps[0]!.LayoutAfter.Reducible);
        Assert.Null(steps[1]);
        Assert.Equal(144, steps[2]!.Reducible);
        Assert.Null(steps[2]!.LayoutAfter.Grid);
        Assert.Equal((36, 17), (steps[3]!.Reducible, steps[3]!.Keep));
        Assert.True(steps[3]!.ReadsPositions);
    }
}
