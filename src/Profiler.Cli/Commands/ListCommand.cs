using System.CommandLine;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary><c>list</c>: the published profiles as profiles/index.json lists them, without rewriting it.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder of published profiles", DefaultValueFactory = _ => "profiles" };
        var json = CommonOptions.Json();
        var command = new Command("list", "List the published profiles (profiles/index.json)") { folder, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            IndexTables.Listing(ProfileListing.Read(result.GetValue(folder)!), result.GetValue(json));
            return CommandLine.Success;
        }));
        return command;
    }
}
