using ScottPlot;
using Profiler.Profiles;

namespace Profiler.Reports;

/// <summary>The compare plot: B/A latency ratio against tokens in, one series per operator, with the propagated CIs.</summary>
public static class ComparePlot
{
    public static void Save(CompareReport report, string nameA, string nameB, string path)
    {
        var plot = new Plot();
        foreach (var series in report.Cases.GroupBy(c => (CompareReport.Label(c.Case), c.Case.TokensIn == c.Case.TokensOut)))
        {
            var points = series.OrderBy(c => c.Case.TokensIn).ThenBy(c => c.Case.TokensOut).ToList();
            double[] xs = points.Select(p => (double)p.Case.TokensIn).ToArray();
            double[] ys = points.Select(p => p.Ratio).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = series.Key.Item1 + (series.Key.Item2 ? "" : " (reduction)");
            // The interval is asymmetric (e^±δ around the ratio): separate lengths below and above.
            var below = points.Select(p => p.Low is { } low ? p.Ratio - low : 0).ToArray();
            var above = points.Select(p => p.High is { } high ? high - p.Ratio : 0).ToArray();
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, below, above) { Color = scatter.Color };
            plot.Add.Plottable(bars);
        }
        var parity = plot.Add.HorizontalLine(1);
        parity.LinePattern = LinePattern.Dashed;
        parity.Color = Colors.Gray;
        plot.Title($"{nameB} / {nameA}: latency ratio (95% CI)");
        plot.XLabel("tokens in");
        plot.YLabel("ratio of latencies (below 1: B faster)");
        plot.ShowLegend();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        plot.SavePng(path, 1100, 650);
    }
}
