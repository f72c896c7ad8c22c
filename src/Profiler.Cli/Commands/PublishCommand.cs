using System.CommandLine;
using System.Text.Json;
using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>publish FILE</c>: validates a profile (and its surrogate), copies it under the profiles folder with its
/// canonical name, and rebuilds the index. Nothing is written unless every check passes first; a published profile
/// is replaced only with --force, and its old surrogate goes with it.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var path = CommonOptions.ProfilePath();
        var surrogate = new Option<string?>("--surrogate") { Description = "A surrogate fitted on this profile, published beside it" };
        var folder = new Option<string>("--dir") { Description = "Folder of published profiles", DefaultValueFactory = _ => "profiles" };
        var force = new Option<bool>("--force") { Description = "Replace a profile already published under the same name" };
        var json = CommonOptions.Json();
        var command = new Command("publish", "Validate a profile and publish it under profiles/ with its canonical name; update the index")
        {
            path, surrogate, folder, force, json,
        };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var source = result.GetValue(path)!;
            var dir = result.GetValue(folder)!;
            if (File.Exists(dir)) throw new InputException($"--dir {dir} is a file; give the folder of published profiles");
            var published = ProfilePublication.Publish(source, result.GetValue(surrogate), dir, result.GetValue(force));
            var entries = ProfileIndex.Rebuild(dir);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { published, index = Path.Combine(dir, ProfileIndex.FileName), profiles = entries.Count }));
            else
                Console.WriteLine($"published {published}; {Path.Combine(dir, ProfileIndex.FileName)} lists {entries.Count} profile(s)");
            return CommandLine.Success;
        }));
        return command;
    }
}
