using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Search;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>check PROFILE</c>: runs the reference suite here with the profile's backend, device and threads, and says
/// whether the profile describes this machine: the per-call, compute and memory factors with their intervals, the
/// fingerprint fields that differ, and the verdict (see <see cref="ReferenceComparison"/>).
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var path = CommonOptions.ProfilePath();
        var json = CommonOptions.Json();
        var command = new Command("check", "Run the reference suite here and say whether a profile applies to this machine (as it is, after transfer, or not)") { path, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var file = result.GetValue(path)!;
            var profile = ProfileReader.Read(file);
            if (!result.GetValue(json)) Console.Error.WriteLine($"running the reference suite here on {PrintableText.Line($"{profile.Fingerprint.Backend} {profile.Fingerprint.Device}")}…");
            var here = ReferenceHere.Measure(profile.Fingerprint, profile.Reference);
            if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(CheckTables.Json(file, profile, here)));
            else CheckTables.Print(file, profile, here);
            return CommandLine.Success;
        }));
        return command;
    }
}
