using ScottPlot;

namespace Profiler.Cli.Commands;

/// <summary>The compare plot: B/A median ratio against tokens in, one series per operator, with the propagated CIs.</summary>
internal static class ComparePlot
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
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(p => p.RelativeHalfWidth is { } r ? p.Ratio * r : 0).ToArray());
            bars.Color = scatter.Color;
        }
        var parity = plot.Add.HorizontalLine(1);
        parity.LinePattern = LinePattern.Dashed;
        parity.Color = Colors.Gray;
        plot.Title($"{nameB} / {nameA}: median latency ratio (99.9% CI)");
        plot.XLabel("tokens in");
        plot.YLabel("ratio of medians (below 1: B faster)");
        plot.ShowLegend();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        plot.SavePng(path, 1100, 650);
    }
}
