using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>compare A B</c>: two profiles side by side, per case the ratio of medians B/A with its interval, the sizes at
/// which the two name a different cheapest operator, and optionally a plot. Only identical cases are compared.
/// </summary>
internal static class CompareCommand
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Standard output, at least 160 columns wide when it goes to a file or a pipe (where Spectre.Console assumes
    /// 80), so that a saved comparison keeps one row per case.
    /// </summary>
    private static IAnsiConsole Out { get; } = Wide();

    /// <summary>A console on standard output that is at least 160 columns wide when redirected.</summary>
    internal static IAnsiConsole Wide()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }

    public static Command Create()
    {
        var first = new Argument<string>("a") { Description = "The reference profile (A)" };
        var second = new Argument<string>("b") { Description = "The profile compared with it (B)" };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG plot of the ratios to this file" };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compare two profiles case by case: ratio of medians with CIs, and where the cheapest operator differs")
        {
            first, second, plot, json,
        };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            string pathA = result.GetValue(first)!, pathB = result.GetValue(second)!;
            var a = ProfileReader.Read(pathA);
            var b = ProfileReader.Read(pathB);
            var report = CompareReport.Build(a, b, pathA, pathB);
            if (result.GetValue(plot) is { } png) ComparePlot.Save(report, Describe(a), Describe(b), png);
            if (result.GetValue(json)) WriteJson(report, pathA, pathB);
            else WriteTables(report, a, b, pathA, pathB);
            if (report.OnlyInA.Count + report.OnlyInB.Count > 0)
                Console.Error.WriteLine($"note: {report.OnlyInA.Count} case(s) only in A and {report.OnlyInB.Count} only in B were not compared");
            return CommandLine.Success;
        }));
        return command;
    }

    private static string Describe(ProfileDocument d) => $"{d.Fingerprint.Backend} {d.Fingerprint.Device}";

    private static void WriteTables(CompareReport report, ProfileDocument a, ProfileDocument b, string pathA, string pathB)
    {
        var info = new Grid().AddColumn().AddColumn();
        foreach (var (label, doc, path) in new[] { ("A", a, pathA), ("B", b, pathB) })
        {
            var f = doc.Fingerprint;
            info.AddRow(label, Markup.Escape($"{path} · {f.Backend} {f.Device} ({f.Provider}, {f.BackendVersion}) · {f.CpuModel} · {f.Threads} threads"));
        }
        Out.Write(new Panel(info).Header("compare").Expand());

        var table = new Table().AddColumns("operator", "n in→out", "A median", "±CI", "B median", "±CI", "B/A", "99.9% CI of B/A");
        foreach (var c in report.Cases)
        {
            table.AddRow(Markup.Escape(CompareReport.Label(c.Case)), $"{c.Case.TokensIn}→{c.Case.TokensOut}",
                c.A.Statistics.Median.ToString(), Percent(c.A.Statistics.RelativeCiHalfWidth),
                c.B.Statistics.Median.ToString(), Percent(c.B.Statistics.RelativeCiHalfWidth),
                Ratio(c), c.Low is { } low && c.High is { } high ? string.Create(C, $"{low:0.000}–{high:0.000}") : "—");
        }
        Out.Write(table);
        Out.MarkupLine(Markup.Escape(string.Create(C,
            $"medians within ±5%: {report.Agreement(0.05, corrected: true):P1} of {report.Cases.Count} cases drift-corrected, {report.Agreement(0.05, corrected: false):P1} as timed; median |B/A−1| {report.MedianDeviation(true):P1} corrected, {report.MedianDeviation(false):P1} as timed")));

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
                Markup.Escape($"{CompareReport.Label(d.CheapestInA)} {d.AsA.A.Statistics.Median} (B: {d.AsA.B.Statistics.Median})"),
                Markup.Escape($"{CompareReport.Label(d.CheapestInB)} {d.AsB.B.Statistics.Median} (A: {d.AsB.A.Statistics.Median})"),
                d.Firm ? "[green]yes[/]" : "[yellow]within CI[/]");
        }
        Out.Write(disagreements);
    }

    private static void WriteJson(CompareReport report, string pathA, string pathB)
    {
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            a = pathA,
            b = pathB,
            cases = report.Cases.Select(c => new
            {
                key = c.Case.Key, medianAUs = c.A.Statistics.Median.Microseconds, medianBUs = c.B.Statistics.Median.Microseconds,
                ratio = c.Ratio, ratioLow = c.Low, ratioHigh = c.High,
            }),
            withinFivePercentCorrected = report.Agreement(0.05, corrected: true),
            withinFivePercentAsTimed = report.Agreement(0.05, corrected: false),
            medianDeviationCorrected = report.MedianDeviation(true),
            medianDeviationAsTimed = report.MedianDeviation(false),
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
