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
            var doc = outcome.Document;
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    path = file, valid = outcome.IsValid, problem = outcome.Problem,
                    schemaVersion = doc?.SchemaVersion, estimator = doc?.Settings.Estimator, stale = doc?.IsStale,
                }));
            }
            if (!outcome.IsValid)
                throw new InputException($"{file}: {outcome.Problem}");
            if (!result.GetValue(json))
            {
                var latency = doc!.SchemaVersion == 1
                    ? $"its latency is each case's {doc.Settings.Estimator}, and it has no latency interval"
                    : $"each case's latency is its {doc.Settings.Estimator} with a 95% interval";
                var schema = doc.SchemaVersion == ProfileDocument.CurrentSchemaVersion ? $"schema {doc.SchemaVersion}" : $"schema {doc.SchemaVersion}, read as such";
                var stale = doc.IsStale ? "; stale: no reference suite, so `check` cannot tell whether it applies to a machine (re-profile to add one)" : "";
                Console.WriteLine(PrintableText.Line($"valid: {file} ({schema}; {latency}{stale})"));
            }
            return CommandLine.Success;
        }));
        return command;
    }
}
