using ScottPlot;
using Profiler.Search;

namespace Profiler.Reports;

/// <summary>PNGs of a search: the history of its loss and expected cost, and over a sweep accuracy against measured latency.</summary>
public static class SearchPlots
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
    // round by round: on a shared machine the level of a whole run moves by more than the plans differ. Each point
    // carries both intervals: the share's, and the accuracy's as the unreduced model's accuracy plus the paired
    // interval of the method's difference from it (the same questions), which is what tells two methods apart.
    private static void Pareto(string path, IReadOnlyList<SearchReport> reports)
    {
        var plot = new Plot();
        var points = reports.SelectMany(r => r.Methods.Select(m => (m.Name, m.Share, Difference: r.VersusUnreduced(m),
            Unreduced: 100 * r.Baseline.Accuracy.Accuracy, Accuracy: 100 * m.Accuracy.Accuracy)));
        foreach (var group in points.GroupBy(p => p.Name))
        {
            var sorted = group.OrderBy(p => p.Share.Median).ToList();
            double[] xs = sorted.Select(p => 100 * p.Share.Median).ToArray();
            double[] ys = sorted.Select(p => p.Accuracy).ToArray();
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = group.Key;
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys,
                sorted.Select(p => 100 * (p.Share.Median - p.Share.Low)).ToArray(), sorted.Select(p => 100 * (p.Share.High - p.Share.Median)).ToArray(),
                sorted.Select(p => p.Accuracy - (p.Unreduced + p.Difference.Low)).ToArray(), sorted.Select(p => p.Unreduced + p.Difference.High - p.Accuracy).ToArray())
            {
                Color = scatter.Color,
            };
            plot.Add.Plottable(bars);
        }
        var marker = plot.Add.Marker(100, 100 * reports[0].Baseline.Accuracy.Accuracy);
        marker.LegendText = "no reduction";
        plot.Title("accuracy against measured latency (95% intervals: share paired by round, accuracy paired by question)");
        plot.XLabel("measured forward latency (% of the unreduced model measured in the same run)");
        plot.YLabel($"test accuracy (%) on {reports[0].Baseline.Accuracy.Count} questions");
        plot.ShowLegend();
        plot.SavePng(path, 1100, 700);
    }
}
