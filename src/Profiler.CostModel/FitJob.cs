using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Plots;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;

namespace Profiler.CostModel;

/// <summary>
/// The <c>fit</c> entry point: fits a profile (<see cref="CostModelFitter"/>), optionally calibrates a preset's
/// forward measured here, writes the surrogate atomically and, with <paramref name="Plots"/>, PNGs of the fits.
/// Every refusal comes before any work, so that it leaves no half of the outputs behind.
/// </summary>
/// <param name="Profile">The profile file.</param>
/// <param name="Out">The surrogate file; null: beside the profile (x.profile.json → x.surrogate.json).</param>
/// <param name="Plots">Folder for PNG plots; null: none.</param>
/// <param name="Force">Replace an existing surrogate file.</param>
/// <param name="Calibrate">A preset whose forward is measured here (the profiled machine) for model-level predictions; null: none.</param>
public sealed record FitJob(string Profile, string? Out = null, string? Plots = null, bool Force = false, string? Calibrate = null)
{
    /// <summary>The surrogate file written.</summary>
    public string Target => Out ?? SurrogateFile.PathBeside(Profile);

    /// <summary>Fits and writes; <paramref name="say"/> hears the fitter's and the calibration's progress.</summary>
    public FitOutcome Run(Action<string>? say = null)
    {
        if (File.Exists(Target) && !Force) throw new InputException(AtomicFile.ExistsMessage(Target));
        if (Directory.Exists(Target)) throw new InputException($"--out {Target} is a folder; give the surrogate a file name");
        if (Plots is { } plotFolder && File.Exists(plotFolder)) throw new InputException($"--plots {plotFolder} is a file; give a folder for the plots");
        var preset = Calibrate is { } name ? Preset.Parse(name) : null;
        var fit = CostModelFitter.Fit(ProfileReader.Read(Profile), Profile, progress: say);
        var document = fit.Document;
        if (preset is not null)
            document = document with { ModelCalibrations = [ModelCalibrator.Calibrate(new LatencySurrogate(document), preset, progress: say)] };
        var written = SurrogateFile.Write(Target, document, Force);
        return new FitOutcome(Target, fit, written, Plots is { } folder ? FitPlots.Write(folder, fit) : []);
    }
}

/// <summary>What a fit wrote.</summary>
/// <param name="Path">The surrogate file.</param>
/// <param name="Fit">The fit: accuracy, choices, checks and notes.</param>
/// <param name="Document">The surrogate as written.</param>
/// <param name="Plots">The PNGs written.</param>
public sealed record FitOutcome(string Path, FitResult Fit, SurrogateDocument Document, IReadOnlyList<string> Plots);
