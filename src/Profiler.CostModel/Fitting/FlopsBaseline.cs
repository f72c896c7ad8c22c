using MathNet.Numerics.LinearAlgebra;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// What a FLOPs-based search assumes: latency = c·FLOPs + b per operator, fitted by least squares on relative error
/// (MathNet). The baseline every other regressor is compared with.
/// </summary>
public sealed class FlopsBaseline : IRegressor
{
    /// <summary>The regressor's name.</summary>
    public const string RegressorName = "flops";

    /// <inheritdoc />
    public string Name => RegressorName;

    /// <inheritdoc />
    public FittedRegressor Fit(IReadOnlyList<TrainingRow> rows)
    {
        var flops = rows.Select(r => CostFeatures.Values(r.Case)[CostFeatures.Flops]).ToArray();
        var a = Matrix<double>.Build.Dense(rows.Count, 2, (i, j) => (j == 0 ? 1 : flops[i]) / rows[i].LatencyUs);
        var b = Vector<double>.Build.Dense(rows.Count, 1.0);
        // FLOPs run to 1e9 and more: solve on a unit-norm column, then scale back. An operator that does no
        // arithmetic (a prune copies rows) has no FLOPs: all a FLOPs model can say of it is a constant.
        double norm = a.Column(1).L2Norm();
        var weights = new double[CostFeatures.Names.Count];
        double bias;
        if (norm > 0)
        {
            a.SetColumn(1, a.Column(1) / norm);
            var x = a.Svd().Solve(b);
            bias = x[0];
            weights[CostFeatures.Flops] = x[1] / norm;
        }
        else
        {
            bias = a.Column(0).Sum() / a.Column(0).DotProduct(a.Column(0));
        }
        var model = new OperatorCostModel { Regressor = Name, Linear = LinearCost.From(bias, weights) };
        return new FittedRegressor(model, model.PredictUs);
    }
}
