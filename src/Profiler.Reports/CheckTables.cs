using System.Globalization;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Search;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>check</c> prints: the verdict, the reference cases here and there with their factors, and the fingerprint fields that differ.</summary>
public static class CheckTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The --json document.</summary>
    public static object Json(string file, ProfileDocument profile, ReferenceHere here)
    {
        var c = here.Comparison;
        return new
        {
            profile = file,
            schemaVersion = profile.SchemaVersion,
            stale = profile.IsStale,
            verdict = c.Verdict.Slug(),
            reason = c.Reason,
            factors = c.Factors.ToDictionary(f => f.Case, f => new
            {
                value = f.Value, low = f.Low, high = f.High, agrees = f.Agrees,
                profileUs = profile.Reference?.Find(f.Case)?.Latency.Value.Microseconds,
                hereUs = here.Suite?.Find(f.Case)?.Latency.Value.Microseconds,
            }),
            unmeasured = c.Unmeasured,
            cautions = c.Cautions,
            differences = c.Differences.Select(d => new { field = d.Field, profile = d.There, here = d.Here }),
            suiteHere = here.Suite?.Cases.Select(s => new
            {
                name = s.Name, description = s.Description, latencyUs = s.Latency.Value.Microseconds,
                latencyLowUs = s.Latency.Low?.Microseconds, latencyHighUs = s.Latency.High?.Microseconds, n = s.Latency.Count,
            }),
            wallSeconds = here.Elapsed.Seconds,
        };
    }

    /// <summary>The tables a person reads.</summary>
    public static void Print(string file, ProfileDocument profile, ReferenceHere here)
    {
        var c = here.Comparison;
        var f = profile.Fingerprint;
        var info = new Grid().AddColumn().AddColumn();
        info.AddRow("profile", TerminalText.Escape($"{file} (schema {profile.SchemaVersion})"));
        info.AddRow("profiled on", TerminalText.Escape($"{f.Backend} {f.Device} · {f.BackendVersion} · {f.CpuModel} · {f.Threads} threads · {f.Date:yyyy-MM-dd}"));
        if (here.Here is { } h)
            info.AddRow("here", TerminalText.Escape($"{h.Backend} {h.Device} · {h.BackendVersion} · {h.CpuModel} · {h.Threads} threads"));
        info.AddRow("verdict", $"[bold]{Colour(c.Verdict)}{TerminalText.Escape(c.Verdict.Words())}[/][/]");
        info.AddRow("why", TerminalText.Escape(c.Reason));
        info.AddRow("wall time", TerminalText.Escape($"{here.Elapsed} (opening the backend and running the suite here)"));
        AnsiConsole.Write(new Panel(info).Header("check").Expand());

        var table = new Table().AddColumns("case", "profile", "here", "factor here/there", "interval", "");
        foreach (var name in ReferenceCaseNames.All)
        {
            var there = profile.Reference?.Find(name);
            var mine = here.Suite?.Find(name);
            var factor = c.Factor(name);
            table.AddRow(name, Estimate(there), Estimate(mine),
                factor is null ? "—" : string.Create(C, $"×{factor.Value:0.000}"),
                factor is null ? "—" : string.Create(C, $"{factor.Low:0.000}–{factor.High:0.000}"),
                factor is null ? "" : factor.Agrees ? "[green]same[/]" : "[yellow]differs[/]");
        }
        AnsiConsole.Write(table);
        foreach (var note in c.Unmeasured.Concat(c.Cautions)) Console.Error.WriteLine($"note: {PrintableText.Line(note)}");

        if (c.Differences.Count == 0)
        {
            AnsiConsole.MarkupLine("no fingerprint field differs");
            return;
        }
        var differences = new Table().AddColumns("fingerprint field", "profile", "here");
        foreach (var d in c.Differences) differences.AddRow(TerminalText.Escape(d.Field), TerminalText.Escape(d.There), TerminalText.Escape(d.Here));
        ReportConsole.Wide().Write(differences);
    }

    private static string Estimate(ReferenceCase? c) =>
        c is null ? "—" : TerminalText.Escape(c.Latency.Low is { } l && c.Latency.High is { } h ? $"{c.Latency.Value} ({l}–{h})" : c.Latency.Value.ToString());

    private static string Colour(Applicability verdict) => verdict switch
    {
        Applicability.AppliesAsIs => "[green]",
        Applicability.AppliesAfterTransfer => "[yellow]",
        _ => "[red]",
    };
}
