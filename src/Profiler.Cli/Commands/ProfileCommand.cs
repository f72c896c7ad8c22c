using System.CommandLine;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Session;

namespace Profiler.Cli.Commands;

/// <summary><c>profile</c>: sweep operators over token counts on a backend and device; write a profile file.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var backend = new Option<string>("--backend") { Description = "Backend: torch or onnx", DefaultValueFactory = _ => "torch" };
        var device = new Option<string>("--device") { Description = "Device: cpu, cuda:N, or dml:N (onnx only)", DefaultValueFactory = _ => "cpu" };
        var preset = new Option<string>("--preset") { Description = "Model shape: tiny, vit-b-16, llava-1.5-7b", DefaultValueFactory = _ => "tiny" };
        var ops = new Option<string?>("--ops") { Description = "Comma-separated operators (default: all the backend supports)" };
        var tokens = new Option<string?>("--tokens") { Description = "Token counts: a list 32,64,100 or start:stop:step (default: the preset's grid; reductions on a coarser one)" };
        var keep = new Option<string>("--keep") { Description = "Retention ratios at which reductions are measured", DefaultValueFactory = _ => "0.25,0.5,0.75" };
        var aligned = new Option<bool>("--aligned")
        {
            Description = "Also measure each reduction's aligned anchor of the continuous operator O(α), which search needs (on by default; --aligned false leaves them out)",
            DefaultValueFactory = _ => true,
        };
        var hidden = new Option<int?>("--hidden") { Description = "Override the preset's hidden size" };
        var heads = new Option<int?>("--heads") { Description = "Override the preset's attention heads" };
        var mlp = new Option<int?>("--mlp") { Description = "Override the preset's MLP size" };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var budget = new Option<string?>("--budget") { Description = "Cap on the whole run, e.g. 5m; cases keep what they have when it runs out" };
        var maxCase = new Option<string>("--max-case-time") { Description = "Cap on timed work per case", DefaultValueFactory = _ => "10s" };
        var rounds = new Option<int>("--rounds") { Description = "Most bursts per case (6 iterations each), spread over the run; a case stops earlier once its latency's 95% interval is within ±2%", DefaultValueFactory = _ => EngineSettings.DefaultRounds };
        var maxCaseSeconds = new Option<double?>("--max-case-seconds") { Description = "Skip a case (and its larger token counts) when one invocation takes longer than this many seconds" };
        var correctDrift = new Option<bool>("--correct-drift")
        {
            Description = "Divide each round's samples by the sentinel's drift factor, where this run measures that it makes the bursts agree better (off: it made repeated profiles agree less)",
        };
        var seed = new Option<int>("--seed") { Description = "Seed for weights and inputs", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Profile file to write (default: runs/<backend>-<device>-<preset>.profile.json)" };
        var resume = new Option<bool>("--resume") { Description = "Continue a stopped run from its raw store" };
        var force = new Option<bool>("--force") { Description = "Replace an existing profile (and start its raw store over)" };
        var show = new Option<bool>("--show") { Description = "Print the full per-case table at the end" };
        var json = CommonOptions.Json();

        var command = new Command("profile", "Measure per-operator latency on this device and write a profile file")
            { backend, device, preset, ops, tokens, keep, aligned, hidden, heads, mlp, batch, threads, budget, maxCase, rounds, maxCaseSeconds, correctDrift, seed, output, resume, force, show, json };

        command.SetAction(result => CommandLine.Guard(() =>
        {
            var chosen = Preset.Parse(result.GetValue(preset)!);
            var shape = new ModelShape(
                result.GetValue(hidden) ?? chosen.Shape.Hidden,
                result.GetValue(heads) ?? chosen.Shape.Heads,
                result.GetValue(mlp) ?? chosen.Shape.MlpSize,
                chosen.Shape.Layers).Validated();
            var request = new ProfileRequest
            {
                Backend = result.GetValue(backend)!.Trim().ToLowerInvariant(),
                Device = result.GetValue(device)!.Trim().ToLowerInvariant(),
                Threads = InputCheck.Threads(result.GetValue(threads)),
                Settings = new ProfileSettings
                {
                    Preset = chosen,
                    Shape = shape,
                    Operators = result.GetValue(ops) is { } list ? OperatorNames.ParseList(list) : null,
                    Tokens = result.GetValue(tokens) is { } grid ? TokenGrid.Parse(grid) : null,
                    ReductionTokens = result.GetValue(tokens) is { } same ? TokenGrid.Parse(same) : null,
                    KeepRatios = CasePlan.ParseRatios(result.GetValue(keep)!),
                    Aligned = result.GetValue(aligned),
                    Batch = InputCheck.Positive(result.GetValue(batch), "--batch"),
                    Budget = result.GetValue(budget) is { } b ? Latency.ParseOption(b, "--budget", Latency.FromSeconds(7 * 24 * 3600)) : null,
                    MaxCaseTime = Latency.ParseOption(result.GetValue(maxCase)!, "--max-case-time", Latency.FromSeconds(3600)),
                    Rounds = result.GetValue(rounds),
                    MaxCaseSeconds = result.GetValue(maxCaseSeconds) is { } limit
                        ? (limit > 0 && double.IsFinite(limit) ? limit : throw new InputException($"--max-case-seconds must be positive, got {limit}"))
                        : null,
                    CorrectDrift = result.GetValue(correctDrift),
                    Seed = result.GetValue(seed),
                    Output = result.GetValue(output) ?? ProfileSettings.DefaultOutput(result.GetValue(backend)!, result.GetValue(device)!, chosen),
                    Resume = result.GetValue(resume),
                    Force = result.GetValue(force),
                },
                ShowTable = result.GetValue(show),
                Json = result.GetValue(json),
            };
            return ProfileRun.Execute(request);
        }));
        return command;
    }
}

/// <summary>A validated profile request: the backend to open, the session's settings, and how to report.</summary>
internal sealed record ProfileRequest
{
    public required string Backend { get; init; }
    public required string Device { get; init; }
    public required int Threads { get; init; }
    public required ProfileSettings Settings { get; init; }
    public bool ShowTable { get; init; }
    public bool Json { get; init; }
    /// <summary>Print no summary (a caller that reports for itself, such as journey).</summary>
    public bool Quiet { get; init; }
}
