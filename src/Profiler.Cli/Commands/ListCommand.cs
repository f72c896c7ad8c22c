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
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder of published profiles", DefaultValueFactory = _ => "profiles" };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the published profiles (profiles/index.json)") { folder, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var dir = result.GetValue(folder)!;
            var entries = Read(dir);
            var missing = entries.Where(e => !File.Exists(Path.Combine(dir, e.File))).Select(e => e.File).ToHashSet();
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(entries.Select(e => new { entry = e, present = !missing.Contains(e.File) }), Options));
            }
            else
            {
                var table = new Table().AddColumns("file", "backend", "device", "provider", "hardware", "threads", "preset", "operators", "cases", "latency", "suite", "date");
                foreach (var e in entries)
                {
                    table.AddRow(TerminalText.Escape(e.File) + (missing.Contains(e.File) ? " [red](missing)[/]" : ""), e.Backend, e.Device,
                        TerminalText.Escape(e.Provider), TerminalText.Escape(e.Gpu.Length > 0 ? e.Gpu : e.Cpu), e.Threads.ToString(CultureInfo.InvariantCulture),
                        TerminalText.Escape(e.Preset), TerminalText.Escape(string.Join(",", e.Operators)), e.Cases.ToString(CultureInfo.InvariantCulture),
                        // An index written before schema 2 of the profiles does not say; its profiles were schema 1.
                        TerminalText.Escape(e.Estimator is null ? "median (schema 1)" : $"{e.Estimator} (schema {e.ProfileSchema}, {e.Rounds} rounds)"),
                        e.Stale ? "[yellow]stale[/]" : "yes",
                        e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                CompareCommand.Wide().Write(table);
            }
            if (entries.Count(e => e.Stale) is var stale and > 0)
                Console.Error.WriteLine($"note: {stale} profile(s) are stale: they have no reference suite, so `profiler check` cannot tell whether they apply to a machine; re-profile them");
            if (missing.Count > 0)
                Console.Error.WriteLine($"note: {missing.Count} listed file(s) are missing; run `profiler index --dir {dir}` to rebuild the index");
            return CommandLine.Success;
        }));
        return command;
    }

    private static IReadOnlyList<IndexEntry> Read(string dir)
    {
        var path = Path.Combine(dir, ProfileIndex.FileName);
        if (!File.Exists(path)) throw new InputException($"{path} does not exist; publish a profile or run `profiler index --dir {dir}`");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!json.RootElement.TryGetProperty("profiles", out var profiles))
                throw new InputException($"{path}: no \"profiles\" list");
            return profiles.Deserialize<List<IndexEntry>>(Options) ?? [];
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a profile index ({e.Message})");
        }
    }
}
