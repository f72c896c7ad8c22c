using System.Text.Json;
using System.Globalization;
using Profiler.Core;
using Profiler.Measurement.Session;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>Tables that show a profile to a person.</summary>
public static class ProfileTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Fingerprint, ceilings, drift and a per-operator digest.</summary>
    public static void Summary(ProfileDocument doc, string path, Latency? wall = null)
    {
        var f = doc.Fingerprint;
        var info = new Grid().AddColumn().AddColumn();
        info.AddRow("profile", TerminalText.Escape(path));
        info.AddRow("device", TerminalText.Escape($"{f.Backend} {f.Device} ({f.Provider}) · {f.CpuModel} · {f.LogicalCores} cores · {f.Threads} threads"));
        info.AddRow("software", TerminalText.Escape($"{f.BackendVersion} · {f.DotNetVersion} · {f.Os}"));
        if (f.Machine is { } m)
        {
            info.AddRow("machine", TerminalText.Escape($"{m.CpuVendor} family {m.CpuFamily} model {m.CpuModelNumber} stepping {m.CpuStepping} · flags {(m.CpuFlags.Count == 0 ? "none" : string.Join(' ', m.CpuFlags))} · L1d {m.L1dCache}, L2 {m.L2Cache}, L3 {m.L3Cache} · MHz base {m.BaseMhz}, at start {m.CurrentMhz} · hypervisor {m.Hypervisor} · kernel {m.KernelRelease}"));
            info.AddRow("runtime", TerminalText.Escape($"tiered compilation {m.TieredCompilation} · tiered PGO {m.TieredPgo} · server GC {m.ServerGc} · concurrent GC {m.ConcurrentGc} · project {m.ProjectVersion}"));
        }
        info.AddRow("reference", TerminalText.Escape(Reference(doc.Reference)));
        info.AddRow("ceilings", string.Create(C, $"matmul {doc.Ceilings.MatmulFlopsPerSecond / 1e9:0.0} GFLOP/s · copy {doc.Ceilings.MemoryBytesPerSecond / 1e9:0.0} GB/s"));
        if (doc.Drift.Corrections.Count > 0)
            info.AddRow("drift", string.Create(C, $"sentinel {TerminalText.Escape(doc.Drift.Sentinel)}: round factors {doc.Drift.Corrections.Min():0.000}–{doc.Drift.Corrections.Max():0.000}{DriftNote(doc.Drift)}"));
        int converged = doc.Cases.Count(c => c.Converged);
        var interval = doc.SchemaVersion == 1 ? "99.9% CI of the mean" : $"95% CI of the {doc.Settings.Estimator}";
        info.AddRow("latency", TerminalText.Escape(doc.SchemaVersion == 1
            ? "each case's median (schema 1, drift-corrected when the drift says so)"
            : $"each case's {doc.Settings.Estimator} of its samples as timed, with a distribution-free 95% interval (schema {doc.SchemaVersion})"));
        info.AddRow("cases", string.Create(C, $"{doc.Cases.Count} measured, {converged} converged to ±{doc.Settings.TargetRelativeCiHalfWidth:P0} ({interval}){(doc.Settings.Complete ? "" : " · [yellow]incomplete: budget ran out[/]")}"));
        if (wall is { } w) info.AddRow("wall time", w.ToString());
        AnsiConsole.Write(new Panel(info).Header("profile").Expand());

        var digest = new Table().AddColumns("operator", "tokens", $"{doc.Settings.Estimator} (fewest → most tokens)", "% of matmul peak");
        foreach (var group in doc.Cases.GroupBy(c => c.Case.Operator))
        {
            var first = group.MinBy(c => c.Case.TokensIn)!;
            var last = group.MaxBy(c => c.Case.TokensIn)!;
            digest.AddRow(group.Key.Name(), $"{first.Case.TokensIn}–{last.Case.TokensIn}",
                $"{first.Latency.Value} → {last.Latency.Value}",
                string.Create(C, $"{group.Min(c => c.FractionOfPeak):P1} – {group.Max(c => c.FractionOfPeak):P1}"));
        }
        AnsiConsole.Write(digest);
    }

    private static string Reference(ReferenceSuite? suite)
    {
        if (suite is null) return "none: stale (profiles before schema 3 have no reference suite, so `check` cannot tell whether this one applies to a machine)";
        var parts = ReferenceCaseNames.All.Select(name => suite.Find(name) is { } c
            ? $"{name} {c.Latency.Value}"
            : $"{name} could not run ({suite.WhyMissing(name)})");
        return string.Join(" · ", parts) + $" ({LatencyEstimate.Name}, `check` repeats it on another machine)";
    }

    private static string DriftNote(DriftRecord d)
    {
        if (d.Applied) return " (corrected: it made the bursts agree better)";
        if (d.SpreadAsTimed is { } asTimed && d.SpreadCorrected is { } corrected)
            return string.Create(C, $" (not applied; burst spread {asTimed:P1} as timed, {corrected:P1} if corrected)");
        return "";
    }

    /// <summary>Every case with its statistics.</summary>
    public static void Cases(ProfileDocument doc)
    {
        var table = new Table().AddColumns("operator", "n in→out", TerminalText.Escape(doc.Settings.Estimator), "95% CI", "median", "p10–p90", "n", "out", "GFLOP/s", "% peak", "ok");
        foreach (var c in doc.Cases)
        {
            var s = c.Statistics;
            var l = c.Latency;
            table.AddRow(
                TerminalText.Escape(c.Case.Operator.Name() + (c.Case.Variant.Length > 0 ? $" ({c.Case.Variant})" : "")),
                $"{c.Case.TokensIn}→{c.Case.TokensOut}", l.Value.ToString(),
                l.Low is { } low && l.High is { } high ? $"{low}–{high}" : "—", s.Median.ToString(),
                $"{s.P10}–{s.P90}", s.Count.ToString(C), s.OutliersRemoved.ToString(C),
                string.Create(C, $"{c.AchievedFlopsPerSecond / 1e9:0.0}"), string.Create(C, $"{c.FractionOfPeak:P1}"),
                c.Converged ? "[green]✓[/]" : "[yellow]·[/]");
        }
        AnsiConsole.Write(table);
    }

    /// <summary>The --json document of <c>show</c>: the profile's identity, reference suite and cases.</summary>
    public static object Json(ProfileDocument document, string file) => new
    {
        path = file,
        device = $"{document.Fingerprint.Backend} {document.Fingerprint.Device}",
        cpu = document.Fingerprint.CpuModel,
        schemaVersion = document.SchemaVersion,
        estimator = document.Settings.Estimator,
        stale = document.IsStale,
        reference = document.Reference?.Cases.Select(c => new
        {
            name = c.Name, latencyUs = c.Latency.Value.Microseconds, latencyLowUs = c.Latency.Low?.Microseconds,
            latencyHighUs = c.Latency.High?.Microseconds, n = c.Latency.Count,
        }),
        cases = document.Cases.Select(c => new
        {
            key = c.Case.Key, latencyUs = c.Latency.Value.Microseconds, latencyLowUs = c.Latency.Low?.Microseconds,
            latencyHighUs = c.Latency.High?.Microseconds, medianUs = c.Statistics.Median.Microseconds, n = c.Statistics.Count, converged = c.Converged,
        }),
    };

    /// <summary>A finished profiling run: its summary as JSON, or its panel, notes on stderr and with <paramref name="showTable"/> every case.</summary>
    public static void Outcome(ProfileOutcome outcome, bool json, bool showTable, double? maxCaseSeconds)
    {
        var (document, run) = (outcome.Document!, outcome.Run);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                profile = outcome.ProfilePath, cases = document.Cases.Count, converged = document.Cases.Count(c => c.Converged),
                complete = run.Complete, wallSeconds = run.Elapsed.Seconds, skipped = outcome.Skipped,
                matmulGflops = run.Ceilings.MatmulFlopsPerSecond / 1e9, memoryGBps = run.Ceilings.MemoryBytesPerSecond / 1e9,
            }));
            return;
        }
        Summary(document, outcome.ProfilePath, run.Elapsed);
        if (outcome.Skipped.Count > 0)
            Console.Error.WriteLine($"note: {outcome.Skipped.Count} case(s) over --max-case-seconds {maxCaseSeconds} were not measured: {string.Join("; ", outcome.Skipped)}");
        if (showTable) Cases(document);
        if (!run.Complete)
            Console.Error.WriteLine("note: the budget ran out before every case converged; the profile says so (settings.complete = false)");
    }
}
