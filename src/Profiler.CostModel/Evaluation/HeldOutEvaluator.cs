using Profiler.CostModel.Fitting;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Evaluation;

/// <summary>Fits every regressor on the same held-out folds and scores it per model, per split and overall.</summary>
public static class HeldOutEvaluator
{
    /// <summary>Held-out predictions of every regressor on every model's interpolation and extrapolation folds.</summary>
    public static IReadOnlyList<HeldOutPrediction> Predict(TrainingSet set, IReadOnlyList<IRegressor> regressors, Action<string>? progress = null)
    {
        var predictions = new List<HeldOutPrediction>();
        foreach (var key in set.Keys)
        {
            var rows = set.ByModel[key];
            var splits = HoldOut.InterpolationFolds(rows).Select(f => (HoldOut.Interpolation, f))
                .Append((HoldOut.Extrapolation, HoldOut.ExtrapolationFold(rows)))
                .ToList();
            foreach (var regressor in regressors)
            {
                progress?.Invoke($"held-out fits: {key.Name} · {regressor.Name}");
                foreach (var (split, fold) in splits)
                {
                    var fitted = regressor.Fit(fold.Train);
                    predictions.AddRange(fold.Test.Select(r => new HeldOutPrediction(key, regressor.Name, split, r, fitted.PredictUs(r.Case))));
                }
            }
        }
        return predictions;
    }

    /// <summary>Metrics per (model, regressor, split) and, pooled over the models, per (regressor, split).</summary>
    public static IReadOnlyList<AccuracyRow> Summarise(IReadOnlyList<HeldOutPrediction> predictions)
    {
        var rows = new List<AccuracyRow>();
        foreach (var group in predictions.GroupBy(p => (p.Key, p.Regressor, p.Split)))
            rows.Add(new AccuracyRow(group.Key.Key.Name, group.Key.Regressor, group.Key.Split, Score(group)));
        foreach (var group in predictions.GroupBy(p => (p.Regressor, p.Split)))
            rows.Add(new AccuracyRow(AccuracyRow.Overall, group.Key.Regressor, group.Key.Split, Score(group)));
        return rows;
    }

    private static AccuracyMetrics Score(IEnumerable<HeldOutPrediction> predictions) =>
        AccuracyMetrics.From(predictions.Select(p => (p.PredictedUs, p.Row.LatencyUs)).ToList());
}
