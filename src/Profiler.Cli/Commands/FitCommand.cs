using System.CommandLine;
using System.Text.Json;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Plots;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>fit</c>: compare cost models on a profile's held-out token counts, pick one per operator, and write the
/// differentiable surrogate file (and, with --plots, PNGs of the fits).
/// </summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var path = CommonOptions.ProfilePath();
        var output = new Option<string?>("--out") { Description = "Surrogate file to write (default: beside the profile, x.profile.json → x.surrogate.json)" };
        var plots = new Option<string?>("--plots") { Description = "Folder for PNG plots: per operator fits against tokens, predicted vs measured" };
        var force = new Option<bool>("--force") { Description = "Replace an existing surrogate file" };
        var calibrate = new Option<string?>("--calibrate") { Description = "Also measure this preset's forward here (the profiled machine) and keep its ratio to the operator sum for model-level predictions" };
        var json = CommonOptions.Json();
        var command = new Command("fit", "Fit cost models on a profile and write its differentiable latency surrogate") { path, output, plots, force, calibrate, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var job = new FitJob(result.GetValue(path)!, result.GetValue(output), result.GetValue(plots), result.GetValue(force), result.GetValue(calibrate));
            var outcome = job.Run(Console.Error.WriteLine);
            foreach (var note in outcome.Fit.Notes) Console.Error.WriteLine($"note: {Core.PrintableText.Line(note)}");
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(FitTables.Json(outcome.Path, outcome.Document, outcome.Plots), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            else
                FitTables.Tables(outcome.Path, outcome.Fit, outcome.Document, outcome.Plots);
            return CommandLine.Success;
        }));
        return command;
    }
}
