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
            var published = Publish(source, result.GetValue(surrogate), dir, result.GetValue(force));
            var entries = ProfileIndex.Rebuild(dir);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { published, index = Path.Combine(dir, ProfileIndex.FileName), profiles = entries.Count }));
            else
                Console.WriteLine($"published {published}; {Path.Combine(dir, ProfileIndex.FileName)} lists {entries.Count} profile(s)");
            return CommandLine.Success;
        }));
        return command;
    }

    private static string Publish(string source, string? surrogatePath, string dir, bool force)
    {
        // Read once: the bytes checked are the bytes copied, whatever happens to the file meanwhile.
        var checkedSource = ProfileReader.ReadChecked(source);
        var document = checkedSource.Document!;
        var surrogate = surrogatePath is null ? null : PublishSurrogate.Check(surrogatePath, document, source);
        var name = PublishName.For(document);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, name);
        var surrogateTarget = Path.Combine(dir, name[..^".profile.json".Length] + ".surrogate.json");
        bool samePlace = string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal);

        if (File.Exists(target) && !force && !samePlace)
            throw new InputException($"{target} is already published; use --force to replace it");
        // The index is rebuilt from every file in the folder: a broken one would stop it after the copy, so refuse now.
        foreach (var other in Directory.EnumerateFiles(dir, "*.profile.json"))
        {
            if (Path.GetFullPath(other) == Path.GetFullPath(target)) continue;
            var check = ProfileValidator.Validate(other);
            if (!check.IsValid) throw new InputException($"cannot publish while {check.Message}; fix or remove it first");
        }

        if (surrogate is not null) AtomicFile.Write(surrogateTarget, surrogate);
        else if (File.Exists(surrogateTarget) && PublishSurrogate.FittedOn(surrogateTarget) != document.ContentHash)
            File.Delete(surrogateTarget);
        if (!samePlace) AtomicFile.Write(target, checkedSource.Bytes!);
        return target;
    }
}
