namespace Profiler.CostModel.Evaluation;

/// <summary>One line of the accuracy report: a regressor on one split, for one model or over all of them.</summary>
/// <param name="Model">Model key name, or <see cref="Overall"/>.</param>
/// <param name="Regressor">Regressor name.</param>
/// <param name="Split">"interpolation" or "extrapolation".</param>
/// <param name="Metrics">The scores.</param>
public sealed record AccuracyRow(string Model, string Regressor, string Split, AccuracyMetrics Metrics)
{
    /// <summary>The model name of rows pooled over every model.</summary>
    public const string Overall = "overall";

    /// <summary>The regressor name of overall rows that pool each model's chosen regressor.</summary>
    public const string Chosen = "chosen";
}
