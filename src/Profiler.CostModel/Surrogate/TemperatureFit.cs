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

    /// <summary>The fitted temperature for <paramref name="trees"/> over the feature vectors of the profiled points.</summary>
    public static double Fit(TreeEnsemble trees, IReadOnlyList<double[]> grid, double budget = DefaultBudget)
    {
        var hard = grid.Select(trees.Evaluate).ToArray();
        double Deviation(double t) => grid.Select((x, i) => Math.Abs(Math.Exp(trees.EvaluateSoft(x, t) - hard[i]) - 1)).Max();
        if (Deviation(MaxTemperature) <= budget) return MaxTemperature;
        if (Deviation(MinTemperature) > budget) return MinTemperature;
        double lo = Math.Log(MinTemperature), hi = Math.Log(MaxTemperature);
        // The deviation grows with the temperature (tails leak further); bisection in log space to a 1% step.
        while (hi - lo > 0.01)
        {
            double mid = (lo + hi) / 2;
            if (Deviation(Math.Exp(mid)) <= budget) lo = mid;
            else hi = mid;
        }
        return Math.Exp(lo);
    }
}
