using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Fitting;

namespace Profiler.Tests.CostModel;

[Collection(FittedSyntheticCollection.Name)]
public class FitAccuracyTests(FittedSynthetic fixture)
{
    [Fact]
    public void ReadBackTreesAndLinearWeightsPredictWhatMlNetPredicts()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            foreach (var (name, fitted) in o.Fitted)
            {
                // Also between the grid points, where only the thresholds decide.
                foreach (var n in Enumerable.Range(2, 300))
                {
                    var c = OperatorCase.Dense(o.Key.Operator, n, Preset.Tiny.Shape) with { TokensOut = o.Key.Operator.IsReduction() ? n / 2 : n };
                    double ml = fitted.PredictUs(c), read = fitted.Model.PredictUs(c);
                    Assert.True(Math.Abs(read / ml - 1) < 1e-5, $"{fixture.Replay}: {o.Key} {name} at {n} tokens: ML.NET {ml} µs, read back {read} µs");
                }
            }
        }
    }

    [Fact]
    public void TreeModelsBeatTheFlopsBaselineOnAStepAndMeetTheIssueTarget()
    {
        var overall = fixture.Fit.Accuracy.Single(a => a.Model == AccuracyRow.Overall && a.Regressor == AccuracyRow.Chosen && a.Split == HoldOut.Interpolation);
        Assert.True(overall.Metrics.Within10 >= 0.95, $"{fixture.Replay}: chosen models have {overall.Metrics.Within10:P0} within ±10% on interpolation");
        var attention = fixture.Fit.Accuracy.Where(a => a.Model == "attention" && a.Split == HoldOut.Interpolation).ToDictionary(a => a.Regressor, a => a.Metrics);
        Assert.True(attention[MlTreeRegressor.FastTreeName].Rmspe < attention[FlopsBaseline.RegressorName].Rmspe,
            $"{fixture.Replay}: FastTree RMSPE {attention["fasttree"].Rmspe:P2} is not below the FLOPs baseline's {attention["flops"].Rmspe:P2} on attention with a step");
    }

    [Fact]
    public void EveryRegressorIsScoredOnTheSameHeldOutCases()
    {
        foreach (var group in fixture.Fit.HeldOut.GroupBy(p => (p.Key, p.Split)))
        {
            var sets = group.GroupBy(p => p.Regressor).Select(g => string.Join(",", g.Select(p => p.Row.Case.Key).Order())).Distinct().Count();
            Assert.True(sets == 1, $"{fixture.Replay}: {group.Key} regressors were scored on different cases");
        }
        var interpolation = fixture.Fit.HeldOut.Where(p => p.Split == HoldOut.Interpolation && p.Regressor == "flops" && p.Key.Name == "mlp")
            .Select(p => p.Row.Case.TokensIn).Order().ToList();
        Assert.Equal(SyntheticProfiles.Tokens.Skip(1).SkipLast(1), interpolation);
    }

    [Fact]
    public void ChoiceSaysWhyAndPicksTheBestEligible()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            var best = fixture.Fit.Accuracy.Where(a => a.Model == o.Key.Name && a.Split == HoldOut.Interpolation)
                .Where(a => CostModelFitter.Unusable(o.Fitted[a.Regressor].Model, o.Rows) is null)
                .Min(a => a.Metrics.Rmspe);
            var mine = fixture.Fit.Accuracy.Single(a => a.Model == o.Key.Name && a.Split == HoldOut.Interpolation && a.Regressor == o.Choice.Regressor);
            Assert.True(mine.Metrics.Rmspe == best, $"{fixture.Replay}: {o.Key} chose {o.Choice.Regressor} with RMSPE {mine.Metrics.Rmspe:P2} though {best:P2} was possible");
            Assert.Contains("RMSPE", o.Choice.Reason);
        }
    }
}
