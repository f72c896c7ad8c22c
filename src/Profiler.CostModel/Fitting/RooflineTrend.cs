using MathNet.Numerics.LinearAlgebra;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// The smooth, monotone trend under the tree models: latency ≈ overhead + Σ cᵢ·featureᵢ with every coefficient
/// non-negative (a per-call overhead plus time per FLOP, per byte, per activation and per attention score), fitted
/// on relative error. Non-negative coefficients on features that grow with the token count make the trend positive
/// and increasing, so the surrogate's gradient never vanishes and extrapolation follows the roofline.
/// </summary>
public sealed class RooflineTrend : IRegressor
{
    /// <summary>The regressor's name.</summary>
    public const string RegressorName = "trend";

    /// <inheritdoc />
    public string Name => RegressorName;

    /// <inheritdoc />
    public FittedRegressor Fit(IReadOnlyList<TrainingRow> rows)
    {
        var model = new OperatorCostModel { Regressor = Name, Linear = FitLinear(rows) };
        return new FittedRegressor(model, model.PredictUs);
    }

    /// <summary>The trend alone, for the tree regressors to learn the log-ratio against.</summary>
    public static LinearCost FitLinear(IReadOnlyList<TrainingRow> rows)
    {
        int features = CostFeatures.Names.Count;
        // Each row divided by its label: least squares on relative error.
        var a = Matrix<double>.Build.Dense(rows.Count, features + 1, (i, j) =>
            (j == 0 ? 1 : CostFeatures.Values(rows[i].Case)[j - 1]) / rows[i].LatencyUs);
        var b = Vector<double>.Build.Dense(rows.Count, 1.0);
        var x = NonNegativeLeastSquares.Solve(a, b);
        var weights = x.Skip(1).ToArray();
        if (weights.All(w => w == 0))
        {
            // Flat (or noisy) measurements: keep a slight slope on the first feature the operator has (FLOPs; a prune
            // has none, so bytes) so that the trend still rises and the gradient points to fewer tokens.
            for (int f = 0; f < features; f++)
            {
                double mean = rows.Average(r => CostFeatures.Values(r.Case)[f]);
                if (!(mean > 0)) continue;
                weights[f] = 1e-3 * rows.Average(r => r.LatencyUs) / mean;
                break;
            }
        }
        return LinearCost.From(x[0], weights);
    }
}
