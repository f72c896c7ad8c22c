using Profiler.Core;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Fitting;

/// <summary>A way to fit a cost model of one operator on training rows.</summary>
public interface IRegressor
{
    /// <summary>Name as reports and files show it, e.g. "fasttree".</summary>
    string Name { get; }

    /// <summary>Fits on <paramref name="rows"/> (all of one model key, at least two token counts).</summary>
    FittedRegressor Fit(IReadOnlyList<TrainingRow> rows);
}

/// <summary>
/// A fitted regressor: its parameters as the surrogate reads them, and its own predictor (for ML.NET regressors the
/// ML.NET prediction engine itself, so that held-out accuracy is the ML.NET model's and not the read-back's).
/// </summary>
/// <param name="Model">Parameters, read out of the fitted model.</param>
/// <param name="PredictUs">The fitted model's prediction in microseconds.</param>
public sealed record FittedRegressor(OperatorCostModel Model, Func<OperatorCase, double> PredictUs);
