using Profiler.CostModel.Fitting;
using Profiler.CostModel.Surrogate;

namespace Profiler.CostModel;

/// <summary>How <see cref="CostModelFitter"/> fits and compares.</summary>
public sealed record FitSettings
{
    /// <summary>Hyperparameters of FastTree and LightGbm.</summary>
    public TreeSettings Trees { get; init; } = new();

    /// <summary>Largest allowed |soft / hard − 1| at a profiled point when fitting the split temperature.</summary>
    public double TemperatureBudget { get; init; } = TemperatureFit.DefaultBudget;

    /// <summary>The regressors compared, in report order.</summary>
    public IReadOnlyList<IRegressor> Regressors(IReadOnlyList<IRegressor>? only = null) => only ??
    [
        new FlopsBaseline(), new RooflineTrend(), new MlLinearRegressor(),
        MlTreeRegressor.FastTree(Trees), MlTreeRegressor.LightGbm(Trees),
        MlTreeRegressor.FastTree(Trees, ratio: true), MlTreeRegressor.LightGbm(Trees, ratio: true),
    ];
}
