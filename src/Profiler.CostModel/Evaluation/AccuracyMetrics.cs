namespace Profiler.CostModel.Evaluation;

/// <summary>
/// Accuracy of predictions against measurements, on relative error e = predicted / measured − 1 (the measure
/// latency predictors are compared by: nn-Meter and LitePred report the share within ±10%).
/// </summary>
/// <param name="Cases">Predictions scored.</param>
/// <param name="Within5">Share with |e| ≤ 5%.</param>
/// <param name="Within10">Share with |e| ≤ 10%.</param>
/// <param name="Rmspe">Root mean square of e.</param>
/// <param name="Mape">Mean of |e|.</param>
/// <param name="WorstError">Largest |e|.</param>
public sealed record AccuracyMetrics(int Cases, double Within5, double Within10, double Rmspe, double Mape, double WorstError)
{
    /// <summary>Scores pairs of (predicted, measured); measured values must be positive.</summary>
    public static AccuracyMetrics From(IReadOnlyCollection<(double Predicted, double Measured)> pairs)
    {
        if (pairs.Count == 0) return new AccuracyMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var errors = pairs.Select(p => Math.Abs(p.Predicted / p.Measured - 1)).ToArray();
        // A tiny allowance so that an error of exactly 10% printed as such counts as within 10%.
        const double slack = 1e-12;
        return new AccuracyMetrics(
            errors.Length,
            errors.Count(e => e <= 0.05 + slack) / (double)errors.Length,
            errors.Count(e => e <= 0.10 + slack) / (double)errors.Length,
            Math.Sqrt(errors.Average(e => e * e)),
            errors.Average(),
            errors.Max());
    }
}
