using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary><c>list</c>: the published profiles as profiles/index.json lists them, without rewriting it.</summary>
internal static class ListCommand
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
    };

    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder of published profiles", DefaultValueFactory = _ => "profiles" };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the published profiles (profiles/index.json)") { folder, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var dir = result.GetValue(folder)!;
            var entries = Read(dir);
            // An entry that is not a plain file name (../../x, /etc/y) is never looked up: it would say whether a file
            // exists outside the folder.
            var foreign = entries.Where(e => !IsPlainName(e.File)).Select(e => e.File).ToHashSet();
            var missing = entries.Where(e => !foreign.Contains(e.File) && !File.Exists(Path.Combine(dir, e.File))).Select(e => e.File).ToHashSet();
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(entries.Select(e => new { entry = e, present = !missing.Contains(e.File) && !foreign.Contains(e.File), outsideFolder = foreign.Contains(e.File) }), Options));
            }
            else
            {
                var table = new Table().AddColumns("file", "backend", "device", "provider", "hardware", "threads", "preset", "operators", "cases", "latency", "suite", "date");
                foreach (var e in entries)
                {
                    table.AddRow(TerminalText.Escape(e.File) + (missing.Contains(e.File) ? " [red](missing)[/]" : foreign.Contains(e.File) ? " [red](not a file in this folder)[/]" : ""), TerminalText.Escape(e.Backend), TerminalText.Escape(e.Device),
                        TerminalText.Escape(e.Provider), TerminalText.Escape(e.Gpu.Length > 0 ? e.Gpu : e.Cpu), e.Threads.ToString(CultureInfo.InvariantCulture),
                        TerminalText.Escape(e.Preset), TerminalText.Escape(string.Join(",", e.Operators)), e.Cases.ToString(CultureInfo.InvariantCulture),
                        // An index written before schema 2 of the profiles does not say; its profiles were schema 1.
                        TerminalText.Escape(e.Estimator is null ? "median (schema 1)" : $"{e.Estimator} (schema {e.ProfileSchema}, {e.Rounds} rounds)"),
                        e.Stale ? "[yellow]stale[/]" : "yes",
                        e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                CompareCommand.Wide().Write(table);
            }
            if (foreign.Count > 0)
                Console.Error.WriteLine($"note: {foreign.Count} entry(ies) name a path outside {PrintableText.Line(dir)}, not a file in it; run `profiler index --dir {PrintableText.Line(dir)}` to rebuild the index");
            if (entries.Count(e => e.Stale) is var stale and > 0)
                Console.Error.WriteLine($"note: {stale} profile(s) are stale: they have no reference suite, so `profiler check` cannot tell whether they apply to a machine; re-profile them");
            if (missing.Count > 0)
                Console.Error.WriteLine($"note: {missing.Count} listed file(s) are missing; run `profiler index --dir {dir}` to rebuild the index");
            return CommandLine.Success;
        }));
        return command;
    }

    private static bool IsPlainName(string file) =>
        file.Length > 0 && file != "." && file != ".." && file == Path.GetFileName(file) && !file.Contains('\\');

    private static IReadOnlyList<IndexEntry> Read(string dir)
    {
        var path = Path.Combine(dir, ProfileIndex.FileName);
        if (!File.Exists(path)) throw new InputException($"{path} does not exist; publish a profile or run `profiler index --dir {dir}`");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!json.RootElement.TryGetProperty("profiles", out var profiles))
                throw new InputException($"{path}: no \"profiles\" list");
            var entries = profiles.Deserialize<List<IndexEntry>>(Options) ?? [];
            for (int i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                // Fields missing from an index of an older version read as null; these ones every version wrote.
                if (e is null || e.File is null || e.Backend is null || e.Device is null || e.Provider is null || e.Cpu is null
                    || e.Gpu is null || e.Preset is null || e.Operators is null || e.ContentHash is null)
                    throw new InputException($"{path}: profiles[{i}] is not an index entry (a field is missing); run `profiler index --dir {dir}` to rebuild it");
            }
            return entries;
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a profile index ({e.Message})");
        }
    }
}
