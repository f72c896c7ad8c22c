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
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    path = file,
                    device = $"{document.Fingerprint.Backend} {document.Fingerprint.Device}",
                    cpu = document.Fingerprint.CpuModel,
                    schemaVersion = document.SchemaVersion,
                    estimator = document.Settings.Estimator,
                    stale = document.IsStale,
                    reference = document.Reference?.Cases.Select(c => new
                    {
                        name = c.Name, latencyUs = c.Latency.Value.Microseconds, latencyLowUs = c.Latency.Low?.Microseconds,
                        latencyHighUs = c.Latency.High?.Microseconds, n = c.Latency.Count,
                    }),
                    cases = document.Cases.Select(c => new
                    {
                        key = c.Case.Key, latencyUs = c.Latency.Value.Microseconds, latencyLowUs = c.Latency.Low?.Microseconds,
                        latencyHighUs = c.Latency.High?.Microseconds, medianUs = c.Statistics.Median.Microseconds, n = c.Statistics.Count, converged = c.Converged,
                    }),
                }));
                return CommandLine.Success;
            }
            ProfileTables.Summary(document, file);
            ProfileTables.Cases(document);
            return CommandLine.Success;
        }));
        return command;
    }
}
