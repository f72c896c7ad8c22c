using System.Globalization;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Search;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>cross</c> prints: each plan's measured share on every runtime, against the plan searched for that runtime, and its accuracy.</summary>
public static class CrossTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The JSON document (--json, --out).</summary>
    public static object Json(CrossReport report) => new
    {
        estimator = LatencyEstimate.Name,
        unreduced = report.Backends.Select((b, i) => new { backend = b, latencyMs = report.Unreduced[i].Value.Milliseconds }).ToList(),
        plans = report.Plans.Select((p, i) => new
        {
            name = p.Name,
            madeFor = p.MadeFor,
            plan = p.Plan.Steps,
            accuracy = report.Accuracy[i].Accuracy,
            questions = report.Accuracy[i].Count,
            accuracyVersusFirstPoints = Points(report.AccuracyVersusFirst[i]),
            runtimes = report.Backends.Select(b => report.Cell(p.Name, b)).Select(c => new
            {
                backend = c.Backend,
                latencyMs = c.Latency.Value.Milliseconds,
                share = Ratio(c.Share),
                versusOwnPlan = c.VersusOwn is { } v ? Ratio(v) : null,
            }).ToList(),
        }).ToList(),
    };

    private static object Ratio(PairedRatio r) => new { median = r.Median, low = r.Low, high = r.High, rounds = r.Rounds };

    private static object Points(PairedDifference d) => new { points = d.Points, low = d.Low, high = d.High };

    /// <summary>The table a person reads.</summary>
    public static void Print(CrossReport report)
    {
        ReportConsole.WideWhenRedirected();
        var table = new Table().Title("measured share of each runtime's unreduced model (95% CI, paired round by round)");
        table.AddColumn("plan");
        table.AddColumn("accuracy");
        foreach (var (backend, i) in report.Backends.Select((b, i) => (b, i)))
            table.AddColumn(new TableColumn(TerminalText.Escape(string.Create(C, $"on {backend} ({report.Unreduced[i].Value.Milliseconds:0.00} ms unreduced)"))).RightAligned());
        foreach (var (plan, i) in report.Plans.Select((p, i) => (p, i)))
        {
            var accuracy = string.Create(C, $"{100 * report.Accuracy[i].Accuracy:0.0}%") + (i == 0 ? "" : $" ({report.AccuracyVersusFirst[i]} vs {report.Plans[0].Name})");
            var row = new List<string> { $"{plan.Name}: {plan.Plan.Describe()}", accuracy };
            row.AddRange(report.Backends.Select(b => Cell(report.Cell(plan.Name, b))));
            table.AddRow(row.Select(TerminalText.Escape).ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(TerminalText.Escape(
            $"A plan's time against the plan searched for that runtime, on that runtime, is given as ×ratio: above 1, deploying it there costs that much more; an interval holding 1 is no result. Accuracy: paired difference in points. {report.Accuracy[0].Count} questions each."));
    }

    private static string Cell(CrossCell c) =>
        string.Create(C, $"{100 * c.Share.Median:0.0}% ({100 * c.Share.Low:0.0}–{100 * c.Share.High:0.0})")
        + (c.VersusOwn is { } v ? string.Create(C, $" · ×{v.Median:0.000} ({v.Low:0.000}–{v.High:0.000})") : "");
}
