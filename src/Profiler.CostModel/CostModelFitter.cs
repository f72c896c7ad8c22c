using Profiler.Core;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Features;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Models;
using Profiler.CostModel.Surrogate;
using Profiler.CostModel.Training;
using Profiler.Profiles;

namespace Profiler.CostModel;

/// <summary>
/// Fits cost models on a profile: builds the training set, scores every regressor on the same held-out folds, fits
/// each on all rows, picks one per operator, fits the chosen trees' temperature, checks the surrogate, and assembles
/// the surrogate document.
/// </summary>
public static class CostModelFitter
{
    /// <summary>Fits <paramref name="profile"/> (named <paramref name="source"/> in messages and in the document).</summary>
    /// <exception cref="InputException">The profile cannot give a trustworthy model (no cases, or too few for an operator).</exception>
    public static FitResult Fit(ProfileDocument profile, string source, FitSettings? settings = null,
        IReadOnlyList<IRegressor>? regressors = null, Action<string>? progress = null)
    {
        settings ??= new FitSettings();
        var set = TrainingSet.From(profile, source);
        var compared = settings.Regressors(regressors);
        var heldOut = HeldOutEvaluator.Predict(set, compared, progress);
        var accuracy = HeldOutEvaluator.Summarise(heldOut);

        var fits = new List<OperatorFit>();
        foreach (var key in set.Keys)
        {
            progress?.Invoke($"final fits: {key.Name}");
            var rows = set.ByModel[key];
            var fitted = compared.ToDictionary(r => r.Name, r => r.Fit(rows));
            var unusable = fitted
                .Select(f => (f.Key, Problem: Unusable(f.Value.Model, rows)))
                .Where(f => f.Problem is not null)
                .ToDictionary(f => f.Key, f => f.Problem!);
            var choice = ModelChoice.Choose(key, accuracy, unusable);
            var chosen = fitted[choice.Regressor];
            var model = chosen.Model;
            if (model.Trees is not null)
            {
                var grid = rows.Select(r => r.Case).ToList();
                model = model with { Trees = TemperatureFit.Fit(model, grid, settings.TemperatureBudget) };
            }
            fits.Add(new OperatorFit(key, rows, fitted, choice, model, SurrogateChecks.Run(model, rows, chosen.PredictUs)));
        }
        var picked = fits.ToDictionary(f => f.Key, f => f.Choice.Regressor);
        var chosenRows = heldOut.Where(p => picked[p.Key] == p.Regressor).GroupBy(p => p.Split)
            .Select(g => new AccuracyRow(AccuracyRow.Overall, AccuracyRow.Chosen, g.Key, AccuracyMetrics.From(g.Select(p => (p.PredictedUs, p.Row.LatencyUs)).ToList())));
        accuracy = [.. accuracy, .. chosenRows];
        return new FitResult(Document(profile, source, fits, accuracy), fits, heldOut, accuracy) { Notes = set.Notes };
    }

    /// <summary>
    /// Why a fitted model cannot serve as a surrogate, or null: its linear part must be positive and rising in the
    /// token count from 1 to twice the profiled maximum, or the search would see negative time or a gradient that
    /// rewards more tokens; and every prediction the surrogate file is checked on (<see cref="SurrogatePredictions"/>,
    /// keep counts down to 1 token) must be a latency, or the file would be refused as it is written. A coarse profile
    /// fitted here once chose a linear pool (aligned) that predicted −1.7 µs at 161 → 1 tokens.
    /// </summary>
    public static string? Unusable(OperatorCostModel model, IReadOnlyList<TrainingRow> rows)
    {
        foreach (var group in rows.GroupBy(r => CaseShape.Of(r.Case)))
        {
            var shape = group.Key;
            double ratio = group.Average(r => (double)r.Case.TokensOut / r.Case.TokensIn);
            int max = 2 * group.Max(r => r.Case.TokensIn);
            var form = model.Linear.ToQuadratic(shape);
            double previous = form.Evaluate(1, ratio);
            if (!(previous > 0)) return $"predicts {previous:0.##} µs at 1 token";
            for (int n = 2; n <= max; n++)
            {
                double value = form.Evaluate(n, ratio * n);
                // Written so that NaN fails too.
                if (!(value > previous)) return $"does not rise with more tokens near {n} tokens";
                previous = value;
            }
        }
        return SurrogatePredictions.FindProblem(model, rows[0].Key, ProfiledShapes(rows), rows.Min(r => r.Case.TokensIn), rows.Max(r => r.Case.TokensIn));
    }

    /// <summary>The distinct shapes <paramref name="rows"/> were measured at (what the surrogate file lists and is checked on).</summary>
    private static List<ProfiledShape> ProfiledShapes(IReadOnlyList<TrainingRow> rows) =>
        rows.Select(r => new ProfiledShape(r.Case.Hidden, r.Case.Heads, r.Case.MlpSize, r.Case.Batch, r.Case.DType)).Distinct().ToList();

    private static SurrogateDocument Document(ProfileDocument profile, string source, IReadOnlyList<OperatorFit> fits, IReadOnlyList<AccuracyRow> accuracy) => new()
    {
        Format = SurrogateDocument.FormatName,
        SchemaVersion = SurrogateDocument.CurrentSchemaVersion,
        ToolVersion = typeof(CostModelFitter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        Created = DateTimeOffset.UtcNow,
        Profile = new SurrogateSource(source, profile.ContentHash, profile.Fingerprint, profile.Settings.Preset, profile.Cases.Count,
            SurrogateReference.From(profile.Reference)),
        Models = fits.Select(f => new SurrogateModel
        {
            Operator = f.Key.Operator.Name(), Variant = f.Key.Variant, Regressor = f.Choice.Regressor, Reason = f.Choice.Reason,
            Linear = f.Chosen.Linear, Trees = f.Chosen.Trees,
            Shapes = ProfiledShapes(f.Rows),
            MinTokens = f.Rows.Min(r => r.Case.TokensIn), MaxTokens = f.Rows.Max(r => r.Case.TokensIn), Check = f.Check,
        }).ToList(),
        Accuracy = accuracy.Where(a => a.Metrics.Cases > 0).ToList(),
    };
}
