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
            var profilePath = result.GetValue(path)!;
            var target = result.GetValue(output) ?? SurrogateFile.PathBeside(profilePath);
            bool replace = result.GetValue(force);
            if (File.Exists(target) && !replace) throw new Core.InputException(AtomicFile.ExistsMessage(target));
            if (Directory.Exists(target)) throw new Core.InputException($"--out {target} is a folder; give the surrogate a file name");
            // Checked before any work, so that a refusal leaves no half of the outputs behind.
            if (result.GetValue(plots) is { } plotFolder && File.Exists(plotFolder))
                throw new Core.InputException($"--plots {plotFolder} is a file; give a folder for the plots");
            var profile = ProfileReader.Read(profilePath);
            var fit = CostModelFitter.Fit(profile, profilePath, progress: message => Console.Error.WriteLine(message));
            foreach (var note in fit.Notes) Console.Error.WriteLine($"note: {Core.PrintableText.Line(note)}");
            var document = fit.Document;
            if (result.GetValue(calibrate) is { } presetName)
            {
                var calibration = ModelCalibrator.Calibrate(new LatencySurrogate(document), Core.Preset.Parse(presetName), progress: message => Console.Error.WriteLine(message));
                document = document with { ModelCalibrations = [calibration] };
            }
            var written = SurrogateFile.Write(target, document, replace);
            var pngs = result.GetValue(plots) is { } folder ? FitPlots.Write(folder, fit) : [];
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(FitCommandOutput.Json(target, written, pngs), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            else
                FitCommandOutput.Tables(target, fit, written, pngs);
            return CommandLine.Success;
        }));
        return command;
    }
}
