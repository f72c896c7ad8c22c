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

    // Each run measures its plans interleaved with the unreduced model, so latency is shown as a share of it, paired
    // round by round: on a shared machine the level of a whole run moves by more than the plans differ.
    private static void Pareto(string path, IReadOnlyList<SearchReport> reports)
    {
        var plot = new Plot();
        var points = reports.SelectMany(r => r.Methods.Select(m => (m.Name,
            Share: 100 * m.Share.Median, Accuracy: 100 * m.Accuracy.Accuracy)));
        foreach (var group in points.GroupBy(p => p.Name))
        {
            var sorted = group.OrderBy(p => p.Share).ToList();
            var scatter = plot.Add.Scatter(sorted.Select(p => p.Share).ToArray(), sorted.Select(p => p.Accuracy).ToArray());
            scatter.LegendText = group.Key;
        }
        var marker = plot.Add.Marker(100, 100 * reports[0].Baseline.Accuracy.Accuracy);
        marker.LegendText = "no reduction";
        plot.Title("accuracy against measured latency");
        plot.XLabel("measured forward latency (% of the unreduced model measured in the same run)");
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend();
        plot.SavePng(path, 1000, 650);
    }
}
