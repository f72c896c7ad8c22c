using System.CommandLine;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary><c>validate</c>: schema, units, ranges and content hash of a profile file.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var path = CommonOptions.ProfilePath();
        var json = CommonOptions.Json();
        var command = new Command("validate", "Check a profile file: schema, units, ranges and content hash") { path, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var file = result.GetValue(path)!;
            var outcome = ProfileValidator.Validate(file);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { path = file, valid = outcome.IsValid, problem = outcome.Problem }));
            if (!outcome.IsValid)
                throw new InputException($"{file}: {outcome.Problem}");
            if (!result.GetValue(json))
                Console.WriteLine($"valid: {file}");
            return CommandLine.Success;
        }));
        return command;
    }
}
