using MathNet.Numerics.LinearAlgebra;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Features;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Training;
using Profiler.Operators;

namespace Profiler.Tests.CostModel;

public class FittingPartsTests
{
    [Fact]
    public void CostFeaturesReproduceTheOperatorsOwnCounts()
    {
        foreach (var op in new[] { OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block })
        {
            foreach (var shape in new[] { Preset.Tiny.Shape, Preset.VitB16.Shape })
            {
                foreach (var n in new[] { 1, 7, 157, 577, 1000 })
                {
                    var c = OperatorCase.Dense(op, n, shape, batch: 2);
                    var values = CostFeatures.Values(c);
                    Assert.Equal(1, values[CostFeatures.Flops] / OperatorCosts.Flops(c), 9);
                    Assert.Equal(1, values[1] / OperatorCosts.Bytes(c), 9);
                }
            }
        }
    }

    [Fact]
    public void TheTrendOfFlatNoisyMeasurementsStillRises()
    {
        // A prune does no FLOPs, and its latency on a busy machine can be flat or even fall with the tokens: the trend
        // must still be a usable surrogate (positive, rising), or a whole fit fails.
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var shape = Preset.Tiny.Shape;
        var rows = new List<TrainingRow>();
        foreach (var n in TokenGrid.Range(16, 160, 16))
        {
            foreach (var keep in new[] { n / 4, n / 2, 3 * n / 4 })
            {
                var c = new OperatorCase(OperatorKind.Prune, n, keep, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32", "aligned");
                var median = Latency.FromMicroseconds(200 - 0.3 * n + 30 * rng.NextDouble());
                rows.Add(new TrainingRow(c, median, median, median));
            }
        }
        Assert.Equal(0, CostFeatures.Values(rows[0].Case)[CostFeatures.Flops]);
        var trend = RooflineTrend.FitLinear(rows);
        var problem = CostModelFitter.Unusable(new Profiler.CostModel.Models.OperatorCostModel { Regressor = "trend", Linear = trend }, rows);
        Assert.True(problem is null, $"seed {seed}: {problem}");
    }

    [Fact]
    public void NonNegativeLeastSquaresFindsTheConstrainedOptimum()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var a = Matrix<double>.Build.Dense(40, 3, (_, _) => rng.NextDouble());
        var truth = Vector<double>.Build.DenseOfArray([2.0, 0.0, 0.5]);
        var b = a * truth - 0.3 * a.Column(1);
        var x = NonNegativeLeastSquares.Solve(a, b);
        Assert.True(x.All(v => v >= 0), $"seed {seed}: a negative coefficient {string.Join(", ", x)}");
        Assert.True(x[1] == 0, $"seed {seed}: the column with a negative true weight got {x[1]}");
        var residual = (a * Vector<double>.Build.DenseOfArray(x) - b).L2Norm();
        // No non-negative point nearby does better.
        for (int i = 0; i < 200; i++)
        {
            var probe = Vector<double>.Build.DenseOfEnumerable(x.Select(v => Math.Max(0, v + 0.05 * (rng.NextDouble() - 0.5))));
            Assert.True((a * probe - b).L2Norm() >= residual - 1e-12, $"seed {seed}: a nearby feasible point fits better");
        }
    }

    [Fact]
    public void EveryInnerTokenCountIsHeldOutExactlyOnceAndTheTopFifthExtrapolates()
    {
        var rows = SyntheticProfiles.Tokens
            .Select(n => new TrainingRow(OperatorCase.Dense(OperatorKind.Mlp, n, Preset.Tiny.Shape), Latency.FromMicroseconds(n), Latency.FromMicroseconds(n), Latency.FromMicroseconds(n)))
            .ToList();
        var folds = HoldOut.InterpolationFolds(rows);
        var held = folds.SelectMany(f => f.Test.Select(r => r.Case.TokensIn)).Order().ToList();
        Assert.Equal(SyntheticProfiles.Tokens.Skip(1).SkipLast(1), held);
        Assert.All(folds, f => Assert.Empty(f.Train.Select(r => r.Case.TokensIn).Intersect(f.Test.Select(r => r.Case.TokensIn))));
        var extrapolation = HoldOut.ExtrapolationFold(rows);
        Assert.True(extrapolation.Test.Min(r => r.Case.TokensIn) > extrapolation.Train.Max(r => r.Case.TokensIn));
        Assert.Equal(7, extrapolation.Test.Count);
    }

    [Fact]
    public void MetricsCountRelativeErrors()
    {
        var m = AccuracyMetrics.From([(105.0, 100.0), (89.0, 100.0), (100.0, 100.0), (120.0, 100.0)]);
        Assert.Equal(0.5, m.Within5);
        Assert.Equal(0.5, m.Within10);
        Assert.Equal((0.05 + 0.11 + 0 + 0.2) / 4, m.Mape, 12);
        Assert.Equal(Math.Sqrt((0.0025 + 0.0121 + 0.04) / 4), m.Rmspe, 12);
    }
}
