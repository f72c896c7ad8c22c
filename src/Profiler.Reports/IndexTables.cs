using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>list</c> and <c>index</c> print: the published profiles, one row each.</summary>
public static class IndexTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The listing as JSON (each entry with whether its file is there), or as a table with notes on stderr.</summary>
    public static void Listing(ProfileListing listing, bool json)
    {
        var (dir, entries, missing, foreign) = (listing.Folder, listing.Entries, listing.Missing, listing.Foreign);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(entries.Select(e => new { entry = e, present = listing.IsPresent(e), outsideFolder = foreign.Contains(e.File) }),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        }
        else
        {
            var table = new Table().AddColumns("file", "backend", "device", "provider", "hardware", "threads", "preset", "operators", "cases", "latency", "suite", "date");
            foreach (var e in entries)
            {
                table.AddRow(TerminalText.Escape(e.File) + (missing.Contains(e.File) ? " [red](missing)[/]" : foreign.Contains(e.File) ? " [red](not a file in this folder)[/]" : ""), TerminalText.Escape(e.Backend), TerminalText.Escape(e.Device),
                    TerminalText.Escape(e.Provider), TerminalText.Escape(e.Gpu.Length > 0 ? e.Gpu : e.Cpu), e.Threads.ToString(C),
                    TerminalText.Escape(e.Preset), TerminalText.Escape(string.Join(",", e.Operators)), e.Cases.ToString(C),
                    // An index written before schema 2 of the profiles does not say; its profiles were schema 1.
                    TerminalText.Escape(e.Estimator is null ? "median (schema 1)" : $"{e.Estimator} (schema {e.ProfileSchema}, {e.Rounds} rounds)"),
                    e.Stale ? "[yellow]stale[/]" : "yes",
                    e.Date.ToString("yyyy-MM-dd", C));
            }
            ReportConsole.Wide().Write(table);
        }
        if (foreign.Count > 0)
            Console.Error.WriteLine($"note: {foreign.Count} entry(ies) name a path outside {PrintableText.Line(dir)}, not a file in it; run `profiler index --dir {PrintableText.Line(dir)}` to rebuild the index");
        if (entries.Count(e => e.Stale) is var stale and > 0)
            Console.Error.WriteLine($"note: {stale} profile(s) are stale: they have no reference suite, so `profiler check` cannot tell whether they apply to a machine; re-profile them");
        if (missing.Count > 0)
            Console.Error.WriteLine($"note: {missing.Count} listed file(s) are missing; run `profiler index --dir {dir}` to rebuild the index");
    }

    /// <summary>A rebuilt index: JSON, or a table.</summary>
    public static void Rebuilt(IReadOnlyList<IndexEntry> entries, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(entries));
            return;
        }
        var table = new Table().AddColumns("file", "backend", "device", "cpu", "threads", "preset", "cases", "date");
        foreach (var e in entries)
            table.AddRow(TerminalText.Escape(e.File), TerminalText.Escape(e.Backend), TerminalText.Escape(e.Device), TerminalText.Escape(e.Cpu), e.Threads.ToString(C), TerminalText.Escape(e.Preset), e.Cases.ToString(C), e.Date.ToString("yyyy-MM-dd", C));
        AnsiConsole.Write(table);
    }
}
