using System.CommandLine;
using System.Text.Json;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary><c>index</c>: rebuild profiles/index.json from the profiles that are there.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder of published profiles", DefaultValueFactory = _ => "profiles" };
        var json = CommonOptions.Json();
        var command = new Command("index", "Validate the published profiles and rebuild their index.json") { folder, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var entries = ProfileIndex.Rebuild(result.GetValue(folder)!);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(entries));
                return CommandLine.Success;
            }
            var table = new Table().AddColumns("file", "backend", "device", "cpu", "threads", "preset", "cases", "date");
            foreach (var e in entries)
                table.AddRow(TerminalText.Escape(e.File), TerminalText.Escape(e.Backend), TerminalText.Escape(e.Device), TerminalText.Escape(e.Cpu), e.Threads.ToString(), TerminalText.Escape(e.Preset), e.Cases.ToString(), e.Date.ToString("yyyy-MM-dd"));
            AnsiConsole.Write(table);
            return CommandLine.Success;
        }));
        return command;
    }
}
