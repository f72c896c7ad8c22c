using ScottPlot;
using Profiler.Search;

namespace Profiler.Cli.Commands;

/// <summary>PNGs of a search: the history of its loss and expected cost, and over a sweep accuracy against measured latency.</summary>
internal static class SearchPlots
{
    public static void Write(string folder, IReadOnlyList<SearchReport> reports)
    {
        Directory.CreateDirectory(folder);
        History(Path.Combine(folder, "search-history.png"), reports[0]);
        Pareto(Path.Combine(folder, "pareto.png"), reports);
    }

    private static void History(string path, SearchReport report)
    {
        var plot = new Plot();
        var steps = report.History.Select(h => (double)h.Step).ToArray();
        var cost = plot.Add.Scatter(steps, report.History.Select(h => h.ExpectedCost).ToArray());
        cost.LegendText = "expected cost";
        var lossAxis = plot.Axes.AddRightAxis();
        var loss = plot.Add.Scatter(steps, report.History.Select(h => h.TaskLoss).ToArray());
        loss.Axes.YAxis = lossAxis;
        loss.LegendText = "task loss (right)";
        plot.Title("search: expected cost and task loss per step");
        plot.XLabel("step");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 600);
    }

    private static void Pareto(string path, IReadOnlyList<SearchReport> reports)
    {
        var plot = new Plot();
        foreach (var group in reports.SelectMany(r => r.Methods).GroupBy(m => m.Name))
        {
            var points = group.OrderBy(m => m.Measured.Median.Milliseconds).ToList();
            var scatter = plot.Add.Scatter(points.Select(m => m.Measured.Median.Milliseconds).ToArray(), points.Select(m => 100 * m.Accuracy.Accuracy).ToArray());
            scatter.LegendText = group.Key;
        }
        var baseline = reports[0].Baseline;
        var marker = plot.Add.Marker(baseline.Measured.Median.Milliseconds, 100 * baseline.Accuracy.Accuracy);
        marker.LegendText = "no reduction";
        plot.Title("accuracy against measured latency");
        plot.XLabel("measured forward latency (ms, median)");
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 650);
    }
}
