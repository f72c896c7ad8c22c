using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Search;
using Profiler.Tasks.Data;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>The search's result file (JSON, latencies in ms, accuracies as fractions) and its tables.</summary>
public static class SearchOutput
{
    public static void Write(string path, IReadOnlyList<SearchReport> reports, SearchCost cost, bool json)
    {
        var frontier = FrontierOf(reports);
        var text = Save(path, reports, cost, reports.Count > 1, frontier);
        if (json)
        {
            Console.WriteLine(text);
            return;
        }
        ReportConsole.WideWhenRedirected();
        foreach (var report in reports) Tables(report);
        if (frontier.Count > 0) FrontierTable(frontier);
        AnsiConsole.MarkupLine(TerminalText.Escape($"written {path}"));
    }

    /// <summary>
    /// Writes <paramref name="reports"/> to <paramref name="path"/> atomically and returns the JSON text: one run's
    /// document, or with <paramref name="sweep"/> the sweep's (its runs and their frontier), which a sweep also writes
    /// after each of its targets, so that a stopped sweep keeps the targets it finished.
    /// </summary>
    public static string Save(string path, IReadOnlyList<SearchReport> reports, SearchCost cost, bool sweep) =>
        Save(path, reports, cost, sweep, FrontierOf(reports));

    private static IReadOnlyList<FrontierRow> FrontierOf(IReadOnlyList<SearchReport> reports) => reports.Count > 1 ? Frontier.Of(reports) : [];

    private static string Save(string path, IReadOnlyList<SearchReport> reports, SearchCost cost, bool sweep, IReadOnlyList<FrontierRow> frontier)
    {
        var documents = reports.Select(r => Document(r, cost)).ToList();
        object file = sweep ? new { sweep = documents, frontier = frontier.Select(FrontierRow).ToList() } : documents[0];
        var text = JsonSerializer.Serialize(file, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        return text;
    }

    private static Dictionary<string, object?> Document(SearchReport report, SearchCost cost)
    {
        var main = report.Methods[0];
        return new Dictionary<string, object?>
        {
            ["baseline"] = Method(report.Baseline, null),
            ["plan"] = main.Plan.Steps,
            ["accuracy"] = main.Accuracy.Accuracy,
            ["perType"] = PerType(main),
            ["measuredLatencyMs"] = main.Measured.Value.Milliseconds,
            ["measuredLowMs"] = main.Measured.Low?.Milliseconds,
            ["measuredHighMs"] = main.Measured.High?.Milliseconds,
            ["estimator"] = LatencyEstimate.Name,
            ["measuredShare"] = Share(main),
            ["predictedLatencyMs"] = main.Predicted.Milliseconds,
            ["flops"] = main.Gflops * 1e9,
            ["cost"] = cost.Name(),
            ["target"] = report.Target.Milliseconds,
            ["targetFraction"] = report.TargetFraction,
            ["targetGflops"] = report.TargetGflops,
            ["latencyPredictedFor"] = report.PredictedFor,
            ["latencyOffsetMs"] = report.Offset.Milliseconds,
            ["latencyScale"] = report.Scale,
            ["latencyMeasuredOn"] = report.MeasuredOn,
            ["searchSeconds"] = report.SearchSeconds,
            ["versusUnreduced"] = Difference(report.VersusUnreduced(main)),
            ["methods"] = report.Methods.Select(m => Method(m, report)).ToList(),
            ["history"] = report.History,
        };
    }

    private static object Method(MethodResult m, SearchReport? report) => new
    {
        name = m.Name,
        plan = m.Plan.Steps,
        accuracy = m.Accuracy.Accuracy,
        questions = m.Accuracy.Count,
        versusUnreduced = report is null ? null : Difference(report.VersusUnreduced(m)),
        mainVersusThis = report is null || m == report.Main ? null : Difference(report.MainVersus(m)),
        perType = PerType(m),
        measuredLatencyMs = m.Measured.Value.Milliseconds,
        measuredLowMs = m.Measured.Low?.Milliseconds,
        measuredHighMs = m.Measured.High?.Milliseconds,
        converged = m.Converged,
        measuredShare = Share(m),
        predictedLatencyMs = m.Predicted.Milliseconds,
        flops = m.Gflops * 1e9,
        visualTokensKept = m.VisualTokensKept,
    };

    private static object FrontierRow(FrontierRow r) => new
    {
        targetFraction = r.TargetFraction,
        search = new { accuracy = r.Search.Accuracy.Accuracy, share = Share(r.Search), plan = r.Search.Plan.Describe() },
        bestFixed = r.BestFixed is { } f ? new { name = f.Name, accuracy = f.Accuracy.Accuracy, share = Share(f), plan = f.Plan.Describe() } : null,
        searchVersusBestFixed = r.SearchVersusFixed is { } d ? Difference(d) : null,
        fixedAtSearchShare = r.FixedAtSearchShare is { } a ? new { name = a.Name, accuracy = a.Accuracy } : null,
        flops = r.Flops is { } l ? new { name = l.Name, accuracy = l.Accuracy.Accuracy, share = Share(l) } : null,
    };

    private static void FrontierTable(IReadOnlyList<FrontierRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title("frontier: the latency search against the best fixed operator at each target (shares measured, paired with the unreduced model)")
            .AddColumns("target", "latency search", "best fixed operator", "search − fixed, pt (95% CI)", "fixed at the search's share", "FLOPs search");
        foreach (var r in rows)
        {
            table.AddRow(
                r.TargetFraction.ToString("P0", c),
                TerminalText.Escape(Point(r.Search)),
                TerminalText.Escape(r.BestFixed is { } f ? $"{f.Name}: {Point(f)}" : "—"),
                r.SearchVersusFixed is { } d ? (d.IsFirm ? (d.Points > 0 ? "[green]" : "[red]") + d + "[/]" : d.ToString()) : "—",
                TerminalText.Escape(r.FixedAtSearchShare is { } a ? string.Create(c, $"{100 * a.Accuracy:F1} ({a.Name})") : "outside their range"),
                TerminalText.Escape(r.Flops is { } l ? Point(l) : "—"));
        }
        AnsiConsole.Write(table);
    }

    private static string Point(MethodResult m) => string.Create(CultureInfo.InvariantCulture,
        $"{100 * m.Accuracy.Accuracy:F1} at {100 * m.Share.Median:F1}% ({100 * m.Share.Low:F1}–{100 * m.Share.High:F1})");

    // Points, with the paired 95% interval and the discordant questions it rests on.
    private static object Difference(PairedDifference d) =>
        new { points = d.Points, low = d.Low, high = d.High, onlyFirst = d.OnlyFirst, onlySecond = d.OnlySecond, questions = d.Count };

    private static object Share(MethodResult m) => new { median = m.Share.Median, low = m.Share.Low, high = m.Share.High, rounds = m.Share.Rounds };

    private static Dictionary<string, double> PerType(MethodResult m) =>
        QuestionTypes.All.ToDictionary(t => t.Name(), t => m.Accuracy.PerType[t]);

    private static void Tables(SearchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table()
            .Title(TerminalText.Escape(report.TargetFraction is { } f
                ? $"target {f:P0} of the unreduced model ({report.Target.Milliseconds:F3} ms as calibrated), {report.TargetGflops:F3} GFLOP"
                : $"target {report.Target.Milliseconds:F3} ms, {report.TargetGflops:F3} GFLOP"))
            .AddColumn("method").AddColumn(new TableColumn("accuracy").RightAligned())
            .AddColumn(new TableColumn("vs unreduced, pt (95% CI)").RightAligned())
            .AddColumn(new TableColumn(TerminalText.Escape($"{report.Main.Name} − this, pt (95% CI)")).RightAligned());
        table.AddColumn(new TableColumn($"measured ms, {LatencyEstimate.Name} (95% CI)").RightAligned()).AddColumn(new TableColumn("share (95% CI)").RightAligned()).AddColumn(new TableColumn("predicted ms").RightAligned())
            .AddColumn(new TableColumn("GFLOP").RightAligned()).AddColumn(new TableColumn("visual tokens").RightAligned()).AddColumn("plan");
        foreach (var m in new[] { report.Baseline }.Concat(report.Methods))
        {
            var cells = new List<string> { TerminalText.Escape(m.Name), (100 * m.Accuracy.Accuracy).ToString("F1", c) };
            bool unreduced = m == report.Baseline;
            cells.Add(unreduced ? "" : report.VersusUnreduced(m).ToString());
            cells.Add(unreduced || m == report.Main ? "" : report.MainVersus(m).ToString());
            cells.Add(m.Measured.Milliseconds() + (m.Converged ? "" : " *"));
            cells.Add(string.Create(c, $"{100 * m.Share.Median:F1}% ({100 * m.Share.Low:F1}–{100 * m.Share.High:F1})"));
            cells.Add(m.Predicted.Milliseconds.ToString("F3", c));
            cells.Add(m.Gflops.ToString("F3", c));
            cells.Add(m.VisualTokensKept.ToString(c));
            cells.Add(TerminalText.Escape(m.Plan.Steps.Count == 0 ? "" : m.Plan.Describe()));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        var calibrated = report.Offset.Milliseconds == 0 && report.Scale == 1 ? "" : string.Create(CultureInfo.InvariantCulture,
            $" Predictions are calibrated on two measured forwards: ({report.Offset.Milliseconds:+0.000;-0.000} ms outside the profiled operators) × {report.Scale:F3} for the machine's speed then.");
        var main = report.Methods[0];
        var share = string.Create(CultureInfo.InvariantCulture,
            $" {main.Name}: {main.Share.Median:P1} of the unreduced model measured beside it; the search took {report.SearchSeconds / 60:F1} min.");
        AnsiConsole.MarkupLine(TerminalText.Escape($"latency predicted for {report.PredictedFor}; measured on {report.MeasuredOn}. * = CI target not reached. " +
            $"Accuracy on {main.Accuracy.Count} test questions, the same for every method; differences are paired (Bonett–Price interval: only the questions exactly one of the two gets right count). " +
            $"Times are each forward's {LatencyEstimate.Name} with its 95% interval. Share: median over {main.Share.Rounds} rounds of the plan's {LatencyEstimate.Name} over the unreduced model's in the same round.{calibrated}{share}"));
    }
}
