using System.CommandLine;
using System.Text.Json;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary><c>show</c>: a profile as tables (or, with --json, its cases as JSON).</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var path = CommonOptions.ProfilePath();
        var json = CommonOptions.Json();
        var command = new Command("show", "Show a profile: fingerprint, ceilings, drift and every case") { path, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var file = result.GetValue(path)!;
            var document = ProfileReader.Read(file);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(ProfileTables.Json(document, file)));
                return CommandLine.Success;
            }
            ProfileTables.Summary(document, file);
            ProfileTables.Cases(document);
            return CommandLine.Success;
        }));
        return command;
    }
}
