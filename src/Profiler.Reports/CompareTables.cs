using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>compare</c> prints: the fingerprints, per case the ratio B/A with its interval, where the cheapest operator differs, and the estimators' test-retest.</summary>
public static class CompareTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static IAnsiConsole Out { get; } = ReportConsole.Wide();

    /// <summary>The report as tables on standard output, with the test-retest table where <paramref name="retest"/> is given.</summary>
    public static void Write(CompareReport report, IReadOnlyList<EstimatorAgreement>? retest, ProfileDocument a, ProfileDocument b, string pathA, string pathB)
    {
        WriteTables(report, a, b, pathA, pathB);
        if (retest is not null) WriteRetest(retest);
    }

    /// <summary>"backend device" of a profile, as plots name it.</summary>
    public static string Describe(ProfileDocument d) => $"{d.Fingerprint.Backend} {d.Fingerprint.Device}";

    private static void WriteTables(CompareReport report, ProfileDocument a, ProfileDocument b, string pathA, string pathB)
    {
        var info = new Grid().AddColumn().AddColumn();
        foreach (var (label, doc, path) in new[] { ("A", a, pathA), ("B", b, pathB) })
        {
            var f = doc.Fingerprint;
            info.AddRow(label, TerminalText.Escape($"{path} · {f.Backend} {f.Device} ({f.Provider}, {f.BackendVersion}) · {f.CpuModel} · {f.Threads} threads"));
        }
        Out.Write(new Panel(info).Header("compare").Expand());

        var table = new Table().AddColumns("operator", "n in→out", $"A {a.Settings.Estimator}", "±CI", $"B {b.Settings.Estimator}", "±CI", "B/A", "95% CI of B/A");
        foreach (var c in report.Cases)
        {
            table.AddRow(TerminalText.Escape(CompareReport.Label(c.Case)), $"{c.Case.TokensIn}→{c.Case.TokensOut}",
                c.A.Latency.Value.ToString(), Percent(c.A.Latency.RelativeHalfWidth),
                c.B.Latency.Value.ToString(), Percent(c.B.Latency.RelativeHalfWidth),
                Ratio(c), c.Low is { } low && c.High is { } high ? string.Create(C, $"{low:0.000}–{high:0.000}") : "—");
        }
        Out.Write(table);
        Out.MarkupLine(TerminalText.Escape(string.Create(C,
            $"latencies within ±5%: {report.Agreement(0.05):P1} of {report.Cases.Count} cases, within ±2%: {report.Agreement(0.02):P1}; median |B/A−1| {report.MedianDeviation():P1}. Medians as timed (a diagnostic): {report.Agreement(0.05, medians: true):P1} within ±5%, median |B/A−1| {report.MedianDeviation(medians: true):P1}")));

        if (report.Disagreements.Count == 0)
        {
            Out.MarkupLine("A and B agree on the cheapest operator at every size both measured.");
            return;
        }
        var disagreements = new Table().Title("where A and B disagree on the cheapest operator")
            .AddColumns("n in→out", "cheapest in A", "cheapest in B", "firm");
        foreach (var d in report.Disagreements)
        {
            disagreements.AddRow($"{d.CheapestInA.TokensIn}→{d.CheapestInA.TokensOut}",
                TerminalText.Escape($"{CompareReport.Label(d.CheapestInA)} {d.AsA.A.Latency.Value} (B: {d.AsA.B.Latency.Value})"),
                TerminalText.Escape($"{CompareReport.Label(d.CheapestInB)} {d.AsB.B.Latency.Value} (A: {d.AsB.A.Latency.Value})"),
                d.Firm ? "[green]yes[/]" : "[yellow]within CI[/]");
        }
        Out.Write(disagreements);
    }

    private static void WriteRetest(IReadOnlyList<EstimatorAgreement> rows)
    {
        var table = new Table().Title($"test-retest from the raw stores ({rows[0].Cases} cases in both)")
            .AddColumns("per-case statistic", "within ±5%", "within ±2%", "median |B/A−1|");
        foreach (var r in rows)
            table.AddRow(TerminalText.Escape(r.Estimator), r.WithinFivePercent.ToString("P1", C), r.WithinTwoPercent.ToString("P1", C), r.MedianDeviation.ToString("P1", C));
        Out.Write(table);
    }

    /// <summary>The --json document on standard output.</summary>
    public static void WriteJson(CompareReport report, IReadOnlyList<EstimatorAgreement>? retest, string pathA, string pathB)
    {
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            a = pathA,
            b = pathB,
            cases = report.Cases.Select(c => new
            {
                key = c.Case.Key, latencyAUs = c.A.Latency.Value.Microseconds, latencyBUs = c.B.Latency.Value.Microseconds,
                ratio = c.Ratio, ratioLow = c.Low, ratioHigh = c.High, medianRatio = c.MedianRatio,
            }),
            withinFivePercent = report.Agreement(0.05),
            withinTwoPercent = report.Agreement(0.02),
            medianDeviation = report.MedianDeviation(),
            mediansWithinFivePercent = report.Agreement(0.05, medians: true),
            mediansMedianDeviation = report.MedianDeviation(medians: true),
            estimators = retest?.Select(r => new
            {
                estimator = r.Estimator, withinFivePercent = r.WithinFivePercent, withinTwoPercent = r.WithinTwoPercent,
                medianDeviation = r.MedianDeviation, cases = r.Cases,
            }),
            onlyInA = report.OnlyInA,
            onlyInB = report.OnlyInB,
            disagreements = report.Disagreements.Select(d => new
            {
                tokensIn = d.CheapestInA.TokensIn, tokensOut = d.CheapestInA.TokensOut,
                cheapestInA = d.CheapestInA.Key, cheapestInB = d.CheapestInB.Key, firm = d.Firm,
            }),
        }));
    }

    private static string Percent(double relative) => double.IsFinite(relative) ? string.Create(C, $"{relative:P1}") : "—";

    private static string Ratio(CaseComparison c)
    {
        var text = c.Ratio.ToString("0.000", C);
        // Coloured only when the interval excludes 1: a real difference, not noise.
        if (c.High is { } high && high < 1) return $"[green]{text}[/]";
        if (c.Low is { } low && low > 1) return $"[red]{text}[/]";
        return text;
    }
}
