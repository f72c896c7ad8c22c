using System.Globalization;
using Profiler.Core;

namespace Profiler.CostModel.Evaluation;

/// <summary>The regressor picked for one model, and why.</summary>
/// <param name="Key">The model.</param>
/// <param name="Regressor">The chosen regressor.</param>
/// <param name="Reason">One sentence: the figures that decided it.</param>
public sealed record ModelChoice(ModelKey Key, string Regressor, string Reason)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Picks, among the regressors usable as a surrogate, the one with the lowest held-out interpolation RMSPE, then
    /// the most cases within ±10%: interpolation is what a search asks of the model (token counts inside the profiled
    /// grid). RMSPE comes first because the share within ±10% counts a single held-out case at a step (which no model
    /// can place without seeing it) as much as a model that is off everywhere; a smooth FLOPs line that stays under
    /// 10% by spreading the step over every case would otherwise beat the trees that fit it.
    /// </summary>
    /// <param name="key">The model.</param>
    /// <param name="rows">Accuracy rows (any models; this one's are used).</param>
    /// <param name="unusable">Regressors that cannot serve as a surrogate, with why (e.g. a negative prediction).</param>
    public static ModelChoice Choose(ModelKey key, IReadOnlyList<AccuracyRow> rows, IReadOnlyDictionary<string, string> unusable)
    {
        var mine = rows.Where(r => r.Model == key.Name).ToList();
        var ranked = mine.Where(r => r.Split == HoldOut.Interpolation && !unusable.ContainsKey(r.Regressor) && double.IsFinite(r.Metrics.Rmspe))
            .OrderBy(r => r.Metrics.Rmspe).ThenByDescending(r => r.Metrics.Within10).ThenBy(r => r.Regressor, StringComparer.Ordinal)
            .ToList();
        if (ranked.Count == 0)
            throw new InputException($"{key.Name}: no regressor fitted on this profile is usable as a surrogate (measure more token counts or keep ratios; {string.Join("; ", unusable.Select(u => $"{u.Key}: {u.Value}"))})");
        var best = ranked[0];
        var reason = string.Create(C, $"lowest held-out interpolation RMSPE {best.Metrics.Rmspe:P1}, {best.Metrics.Within10:P0} within ±10%");
        if (ranked.Count > 1)
        {
            var next = ranked[1];
            reason += string.Create(C, $" (next: {next.Regressor} {next.Metrics.Rmspe:P1}, {next.Metrics.Within10:P0})");
        }
        var flops = mine.FirstOrDefault(r => r.Split == HoldOut.Interpolation && r.Regressor == Fitting.FlopsBaseline.RegressorName);
        if (flops is not null && best.Regressor != flops.Regressor)
            reason += string.Create(C, $"; the FLOPs baseline has {flops.Metrics.Rmspe:P1}, {flops.Metrics.Within10:P0}");
        var extrapolation = mine.FirstOrDefault(r => r.Split == HoldOut.Extrapolation && r.Regressor == best.Regressor);
        if (extrapolation is not null)
            reason += string.Create(C, $"; extrapolation RMSPE {extrapolation.Metrics.Rmspe:P1}");
        foreach (var (name, why) in unusable.OrderBy(u => u.Key, StringComparer.Ordinal))
            reason += $"; {name} not usable as a surrogate: {why}";
        return new ModelChoice(key, best.Regressor, reason);
    }
}
