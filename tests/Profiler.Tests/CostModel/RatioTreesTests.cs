using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Models;
using Profiler.CostModel.Surrogate;
using Profiler.CostModel.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.CostModel;

public class RatioTreesTests
{
    // A merge-like cost: per-call overhead plus a little per token, doubled below ρ = ½ at every n (a second
    // bipartite round), with a little noise. Profiled at ρ = ¼, ½, ¾ as the profiler does.
    private static List<TrainingRow> MergeLikeRows(Random rng)
    {
        double overhead = 300 + 100 * rng.NextDouble(), perToken = 0.5 + rng.NextDouble();
        var shape = Preset.Tiny.Shape;
        var rows = new List<TrainingRow>();
        foreach (var n in TokenGrid.Range(16, 256, 16))
        {
            foreach (var k in new[] { n / 4, n / 2, 3 * n / 4 })
            {
                var c = new OperatorCase(OperatorKind.Merge, n, k, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32");
                double rounds = 2 * k < n ? 2 : 1;
                var median = Latency.FromMicroseconds(rounds * (overhead + perToken * n) * (1 + 0.01 * (2 * rng.NextDouble() - 1)));
                rows.Add(new TrainingRow(c, median, median, median));
            }
        }
        return rows;
    }

    private static double WithinTenPercent(IRegressor regressor, IReadOnlyList<TrainingRow> rows)
    {
        var errors = new List<double>();
        foreach (var fold in HoldOut.InterpolationFolds(rows))
        {
            var fitted = regressor.Fit(fold.Train);
            errors.AddRange(fold.Test.Select(r => Math.Abs(fitted.PredictUs(r.Case) / r.Latency.Microseconds - 1)));
        }
        return errors.Count(e => e <= 0.10) / (double)errors.Count;
    }

    [Fact]
    public void TreesOnTheRatioPredictAStepInTheRatioThatTreesOnTokensOutMiss()
    {
        int seed = Random.Shared.Next();
        var rows = MergeLikeRows(new Random(seed));
        var settings = new TreeSettings();
        double onRatio = WithinTenPercent(MlTreeRegressor.LightGbm(settings, ratio: true), rows);
        double onTokens = WithinTenPercent(MlTreeRegressor.LightGbm(settings), rows);
        Assert.True(onRatio >= 0.95, $"seed {seed}: the ratio trees put {onRatio:P0} of held-out cases within ±10%");
        Assert.True(onRatio > onTokens, $"seed {seed}: ratio trees {onRatio:P0}, tokens-out trees {onTokens:P0}");
    }

    [Fact]
    public void TheSurrogateOfRatioTreesReadsTheRatioAndFollowsItsModel()
    {
        int seed = Random.Shared.Next();
        var rows = MergeLikeRows(new Random(seed));
        var fitted = MlTreeRegressor.FastTree(new TreeSettings(), ratio: true).Fit(rows);
        Assert.Equal(MlTreeRegressor.FastTreeName + MlTreeRegressor.RatioSuffix, fitted.Model.Regressor);
        var grid = rows.Select(r => r.Case).ToList();
        var model = fitted.Model with { Trees = TemperatureFit.Fit(fitted.Model, grid) };
        Assert.True(model.Trees!.SplitsOnRatio && model.Trees.OutputAxisIsSound, $"seed {seed}: the trees do not split on the ratio alone");
        var shape = CaseShape.Of(grid[0]);
        Assert.True(SoftStepTable.For(model.Trees, model.Linear, shape).OutIsRatio);
        using var surrogate = new OperatorSurrogate(model, shape);
        var n = tensor(grid.Select(c => (double)c.TokensIn).ToArray(), dtype: float64);
        var k = tensor(grid.Select(c => (double)c.TokensOut).ToArray(), dtype: float64);
        var soft = surrogate.forward(n, k).data<double>().ToArray();
        for (int i = 0; i < grid.Count; i++)
        {
            double hard = fitted.PredictUs(grid[i]);
            Assert.True(Math.Abs(soft[i] / hard - 1) <= 0.02, $"seed {seed}: {grid[i].Key}: surrogate {soft[i]:0.#} µs, model {hard:0.#} µs");
        }
        // Halving the ratio across ½ at a fixed n doubles the cost, as measured.
        var across = surrogate.forward(tensor(new[] { 200.0, 200.0 }, dtype: float64), tensor(new[] { 60.0, 140.0 }, dtype: float64)).data<double>().ToArray();
        Assert.True(across[0] > 1.6 * across[1], $"seed {seed}: {across[0]:0.#} µs at ρ = 0.3 against {across[1]:0.#} µs at ρ = 0.7");
    }
}
