using Profiler.Core;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// Fits the softness of a tree ensemble's splits: the largest temperature (a split's sigmoid scale as a fraction of
/// the gap between the training values either side of it) whose soft output stays within a budget of the hard
/// output at every profiled point. Larger is smoother, so the gradient reaches further from each step, while the
/// budget keeps the surrogate on its fitted model where there are measurements.
/// </summary>
public static class TemperatureFit
{
    /// <summary>Default budget: the soft output may differ from the hard one by 1% at a profiled point.</summary>
    public const double DefaultBudget = 0.01;

    /// <summary>Softest temperature tried: a split's sigmoid spans about its whole gap.</summary>
    public const double MaxTemperature = 0.5;

    /// <summary>Hardest temperature tried.</summary>
    public const double MinTemperature = 0.005;

    /// <summary>
    /// The trees of <paramref name="model"/> with their temperature (and, where the floors' leaks add up past the
    /// budget, a lower floor leak) fitted over the profiled cases <paramref name="grid"/>.
    /// </summary>
    public static TreeEnsemble Fit(OperatorCostModel model, IReadOnlyList<OperatorCase> grid, double budget = DefaultBudget)
    {
        var trees = model.Trees ?? throw new ArgumentException("the model has no trees", nameof(model));
        var hard = grid.Select(c => trees.Evaluate(SizeFeatures.Values(c))).ToArray();
        // Many overlapping floors (dense thresholds on tokens out) can leak more together than the budget: halve
        // their leak until the hardest temperature fits, and give them up if nothing else does.
        for (double leak = SoftStepTable.DefaultLeakBudget; ; leak /= 2)
        {
            if (leak < SoftStepTable.DefaultLeakBudget / 64) leak = 0;
            var tables = grid.Select(c => SoftStepTable.For(trees, model.Linear, CaseShape.Of(c), leak)).ToArray();
            double Deviation(double t) => grid.Select((c, i) => Math.Abs(Math.Exp(tables[i].Evaluate(c.TokensIn, c.TokensOut, t) - hard[i]) - 1)).Max();
            if (leak > 0 && Deviation(MinTemperature) > budget) continue;
            return trees with { Temperature = Temperature(Deviation, budget), FloorLeak = leak };
        }
    }

    private static double Temperature(Func<double, double> deviation, double budget)
    {
        if (deviation(MaxTemperature) <= budget) return MaxTemperature;
        if (deviation(MinTemperature) > budget) return MinTemperature;
        double lo = Math.Log(MinTemperature), hi = Math.Log(MaxTemperature);
        // The deviation grows with the temperature (tails leak further); bisection in log space to a 1% step.
        while (hi - lo > 0.01)
        {
            double mid = (lo + hi) / 2;
            if (deviation(Math.Exp(mid)) <= budget) lo = mid;
            else hi = mid;
        }
        return Math.Exp(lo);
    }
}
