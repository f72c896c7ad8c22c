using System.CommandLine;
using Profiler.Profiles;

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
            IndexTables.Rebuilt(ProfileIndex.Rebuild(result.GetValue(folder)!), result.GetValue(json));
            return CommandLine.Success;
        }));
        return command;
    }
}
