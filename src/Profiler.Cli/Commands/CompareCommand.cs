using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Measurement.Session;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Profiles;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>compare A B</c>: two profiles side by side, per case the ratio of latencies B/A with its interval, the sizes at
/// which the two name a different cheapest operator, and optionally a plot. Only identical cases are compared. With
/// <c>--estimators</c>, the two runs' raw stores are read too, and every candidate estimator's test-retest shown.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("a") { Description = "The reference profile (A)" };
        var second = new Argument<string>("b") { Description = "The profile compared with it (B)" };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG plot of the ratios to this file" };
        var estimators = new Option<bool>("--estimators")
        {
            Description = "Also read the raw stores beside A and B (NAME.raw.sqlite) and show how each candidate estimator repeats between them",
        };
        var json = CommonOptions.Json();
        var command = new Command("compare", "Compare two profiles case by case: ratio of latencies with CIs, and where the cheapest operator differs")
        {
            first, second, plot, estimators, json,
        };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            string pathA = result.GetValue(first)!, pathB = result.GetValue(second)!;
            var a = ProfileReader.Read(pathA);
            var b = ProfileReader.Read(pathB);
            var report = CompareReport.Build(a, b, pathA, pathB);
            var retest = result.GetValue(estimators)
                ? EstimatorRetest.Compare(ProfileSession.RawStorePath(pathA), ProfileSession.RawStorePath(pathB))
                : null;
            if (result.GetValue(plot) is { } png) ComparePlot.Save(report, CompareTables.Describe(a), CompareTables.Describe(b), png);
            if (result.GetValue(json)) CompareTables.WriteJson(report, retest, pathA, pathB);
            else CompareTables.Write(report, retest, a, b, pathA, pathB);
            if (a.Settings.Estimator != b.Settings.Estimator)
                Console.Error.WriteLine($"note: A's latencies are its {a.Settings.Estimator}s (schema {a.SchemaVersion}), B's its {b.Settings.Estimator}s (schema {b.SchemaVersion}); their ratios mix two statistics");
            if (report.OnlyInA.Count + report.OnlyInB.Count > 0)
                Console.Error.WriteLine($"note: {report.OnlyInA.Count} case(s) only in A and {report.OnlyInB.Count} only in B were not compared");
            return CommandLine.Success;
        }));
        return command;
    }
}
