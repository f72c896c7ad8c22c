using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Fitting;
using ScottPlot;

namespace Profiler.CostModel.Plots;

/// <summary>
/// PNG plots of a fit (ScottPlot): per operator, the measured medians with interquartile bars, the chosen fitted
/// model, its surrogate and the FLOPs baseline against tokens (a quarter past the profiled range, to show
/// extrapolation); and held-out predicted against measured for the chosen models.
/// </summary>
public static class FitPlots
{
    private const int Width = 1000;
    private const int Height = 650;

    /// <summary>Writes the plots into <paramref name="folder"/> (created if needed); returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, FitResult fit)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        foreach (var o in fit.Operators)
        {
            foreach (var path in o.Rows.GroupBy(r => CaseShape.Of(r.Case)))
            {
                var file = Path.Combine(folder, $"{Safe(o.Key.Name)}{(o.Rows.Select(r => CaseShape.Of(r.Case)).Distinct().Count() > 1 ? "-" + Safe(path.Key.Sizes) : "")}.png");
                OperatorPlot(o, path.Key, path.ToList()).SavePng(file, Width, Height);
                files.Add(file);
            }
        }
        var scatter = Path.Combine(folder, "predicted-vs-measured.png");
        Scatter(fit).SavePng(scatter, Width, Height);
        files.Add(scatter);
        return files;
    }

    private static Plot OperatorPlot(OperatorFit o, CaseShape shape, IReadOnlyList<Training.TrainingRow> rows)
    {
        var plot = new Plot();
        bool dense = !shape.IsReduction;
        // For reductions the curves follow the median retention ratio of the profiled cases.
        double ratio = dense ? 1 : rows.Select(r => (double)r.Case.TokensOut / r.Case.TokensIn).Order().ElementAt(rows.Count / 2);
        var measured = rows.Where(r => dense || Math.Abs((double)r.Case.TokensOut / r.Case.TokensIn - ratio) < 0.02).ToList();
        var xs = measured.Select(r => (double)r.Case.TokensIn).ToArray();
        var points = plot.Add.ScatterPoints(xs, measured.Select(r => r.LatencyUs).ToArray());
        points.LegendText = "measured (the profile's latency)";
        var bars = plot.Add.ErrorBar(xs, measured.Select(r => r.LatencyUs).ToList(), measured.Select(_ => 0.0).ToList());
        bars.YErrorNegative = measured.Select(r => r.LatencyUs - r.Low.Microseconds).ToArray();
        bars.YErrorPositive = measured.Select(r => r.High.Microseconds - r.LatencyUs).ToArray();
        bars.LegendText = "its 95% interval";

        int max = (int)Math.Ceiling(1.25 * rows.Max(r => r.Case.TokensIn));
        var whole = Enumerable.Range(1, max).Select(n => (double)n).ToArray();
        var fitted = o.Fitted[o.Choice.Regressor];
        var hard = plot.Add.ScatterLine(whole, whole.Select(n => fitted.Model.PredictUs(shape.At((int)n, Math.Max(1, (int)Math.Round(ratio * n))))).ToArray());
        hard.LegendText = $"{o.Choice.Regressor} (fitted)";
        var fine = Enumerable.Range(4, 4 * max - 3).Select(i => i / 4.0).ToArray();
        var soft = plot.Add.ScatterLine(fine, fine.Select(n => o.Chosen.PredictSoftUs(shape, n, ratio * n)).ToArray());
        soft.LegendText = "surrogate";
        soft.LineWidth = 2;
        var flops = o.Fitted[FlopsBaseline.RegressorName].Model.Linear.ToQuadratic(shape);
        var baseline = plot.Add.ScatterLine(fine, fine.Select(n => flops.Evaluate(n, ratio * n)).ToArray());
        baseline.LegendText = "FLOPs baseline";
        baseline.LinePattern = LinePattern.Dashed;

        plot.Title($"{o.Key.Name} · {shape.Sizes}{(dense ? "" : $" · {ratio:P0} kept")}");
        plot.XLabel("tokens in");
        plot.YLabel("latency (µs)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot Scatter(FitResult fit)
    {
        var plot = new Plot();
        var chosen = fit.Operators.ToDictionary(o => o.Key, o => o.Choice.Regressor);
        double top = 0;
        foreach (var o in fit.Operators)
        {
            var mine = fit.HeldOut.Where(p => p.Key == o.Key && p.Regressor == chosen[o.Key] && p.Split == HoldOut.Interpolation).ToList();
            if (mine.Count == 0) continue;
            var s = plot.Add.ScatterPoints(mine.Select(p => p.Row.LatencyUs).ToArray(), mine.Select(p => p.PredictedUs).ToArray());
            s.LegendText = $"{o.Key.Name} ({o.Choice.Regressor})";
            top = Math.Max(top, mine.Max(p => Math.Max(p.Row.LatencyUs, p.PredictedUs)));
        }
        foreach (var (factor, label) in new[] { (1.0, "exact"), (1.1, "±10%"), (0.9, "") })
        {
            var line = plot.Add.Line(0, 0, top, factor * top);
            line.LinePattern = factor == 1.0 ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = label;
        }
        plot.Title("held-out interpolation: predicted vs measured (chosen models)");
        plot.XLabel("measured latency, the profile's estimator (µs)");
        plot.YLabel("predicted (µs)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static string Safe(string name) =>
        new(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
