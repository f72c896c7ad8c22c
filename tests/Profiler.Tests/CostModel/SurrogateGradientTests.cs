using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Surrogate;
using static TorchSharp.torch;

namespace Profiler.Tests.CostModel;

[Collection(FittedSyntheticCollection.Name)]
public class SurrogateGradientTests(FittedSynthetic fixture)
{
    private static CaseShape Tiny(ModelKey key) => CaseShape.For(key, Preset.Tiny.Shape, 1);

    private static (double Value, double Gradient) Evaluate(OperatorSurrogate module, double n)
    {
        using var scope = NewDisposeScope();
        var tokens = tensor(new[] { n }, dtype: float64, requires_grad: true);
        var y = module.forward(tokens).sum();
        y.backward();
        return (y.item<double>(), tokens.grad!.item<double>());
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var rng = new Random(fixture.Seed);
        foreach (var o in fixture.Fit.Operators)
        {
            using var module = new OperatorSurrogate(o.Chosen, Tiny(o.Key));
            for (int i = 0; i < 40; i++)
            {
                double n = 4 + 300 * rng.NextDouble();
                const double h = 1e-5;
                var (_, gradient) = Evaluate(module, n);
                double numeric = (Evaluate(module, n + h).Value - Evaluate(module, n - h).Value) / (2 * h);
                Assert.True(Math.Abs(gradient - numeric) <= 1e-4 * Math.Abs(numeric) + 1e-6,
                    $"{fixture.Replay}: {o.Key} at n={n}: autograd {gradient} µs/token, finite differences {numeric}");
            }
        }
    }

    [Fact]
    public void GradientIsPositiveOverTheProfiledRangeAndNonZeroBeyond()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            using var module = new OperatorSurrogate(o.Chosen, Tiny(o.Key));
            for (double n = 1; n <= 512; n += 0.25)
            {
                var (_, gradient) = Evaluate(module, n);
                // The synthetic latencies rise everywhere, so inside the grid the gradient must too.
                bool inside = n >= SyntheticProfiles.Tokens[0] && n <= SyntheticProfiles.Tokens[^1];
                Assert.True(inside ? gradient > 0 : gradient != 0, $"{fixture.Replay}: {o.Key} ({o.Choice.Regressor}) gradient {gradient} µs/token at n={n}");
            }
        }
    }

    [Fact]
    public void PredictionsArePositive()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            using var module = new OperatorSurrogate(o.Chosen, Tiny(o.Key));
            using var scope = NewDisposeScope();
            var values = module.forward(linspace(0.5, 1024, 4096, dtype: float64)).data<double>().ToArray();
            Assert.True(values.All(v => v > 0 && double.IsFinite(v)), $"{fixture.Replay}: {o.Key} predicts {values.Min()} µs somewhere in 0.5..1024 tokens");
        }
    }

    [Fact]
    public void RisesWhereverTheMeasurementsRise()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            Assert.True(o.Check.MonotoneIntervals > 0, $"{fixture.Replay}: {o.Key} has no rising interval to check");
            Assert.True(o.Check.MonotoneKept == o.Check.MonotoneIntervals,
                $"{fixture.Replay}: {o.Key} ({o.Choice.Regressor}) rises on only {o.Check.MonotoneKept} of {o.Check.MonotoneIntervals} intervals where the measurements rise");
        }
    }

    [Fact]
    public void StaysWithinTwoPercentOfTheFittedModelOnTheGrid()
    {
        foreach (var o in fixture.Fit.Operators)
        {
            var fitted = o.Fitted[o.Choice.Regressor];
            using var module = new OperatorSurrogate(o.Chosen, Tiny(o.Key));
            foreach (var row in o.Rows)
            {
                double surrogate = Evaluate(module, row.Case.TokensIn).Value, model = fitted.PredictUs(row.Case);
                Assert.True(Math.Abs(surrogate / model - 1) <= 0.02,
                    $"{fixture.Replay}: {o.Key} at {row.Case.TokensIn} tokens: surrogate {surrogate:0.000} µs, {o.Choice.Regressor} {model:0.000} µs");
            }
            Assert.True(o.Check.MaxDeviation <= 0.02, $"{fixture.Replay}: {o.Key} recorded deviation {o.Check.MaxDeviation:P2}");
        }
    }

    [Fact]
    public void KeepsTheStepThatTheFlopsBaselineSmoothsAway()
    {
        var truth = SyntheticProfiles.Shapes(fixture.Seed)[OperatorKind.Attention];
        var attention = fixture.Fit.Operators.Single(o => o.Key.Operator == OperatorKind.Attention);
        using var module = new OperatorSurrogate(attention.Chosen, Tiny(attention.Key));
        var flops = attention.Fitted[FlopsBaseline.RegressorName].Model;
        // Relative jump between the grid points either side of the step.
        int below = truth.StepAt, above = truth.StepAt + 8;
        double trueJump = truth.Us(above) / truth.Us(below) - 1;
        double surrogateJump = Evaluate(module, above).Value / Evaluate(module, below).Value - 1;
        double flopsJump = flops.PredictUs(OperatorCase.Dense(OperatorKind.Attention, above, Preset.Tiny.Shape))
            / flops.PredictUs(OperatorCase.Dense(OperatorKind.Attention, below, Preset.Tiny.Shape)) - 1;
        Assert.True(Math.Abs(surrogateJump - trueJump) < 0.03,
            $"{fixture.Replay}: step at {below}→{above}: true jump {trueJump:P1}, surrogate {surrogateJump:P1}");
        Assert.True(Math.Abs(flopsJump - trueJump) > Math.Abs(surrogateJump - trueJump),
            $"{fixture.Replay}: the FLOPs baseline's jump {flopsJump:P1} is as close to the true {trueJump:P1} as the surrogate's {surrogateJump:P1}");
    }
}
