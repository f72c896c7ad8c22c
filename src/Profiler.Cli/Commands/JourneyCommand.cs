using System.CommandLine;
using System.Diagnostics;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Reduction;
using Profiler.Profiles;
using Profiler.Measurement.Session;
using Profiler.Search;
using Profiler.Tasks.Network;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>journey</c>: the whole path on the embedded default, for a first run on a new machine: profile this CPU on
/// <c>tiny</c> with a short grid (aligned anchors included), fit the surrogate, search a plan for the shipped model at
/// the target, verify it and the baselines on this CPU, and print the table.
/// </summary>
internal static class JourneyCommand
{
    /// <summary>Dense operators at these token counts: the model's range (147 tokens unreduced) with room above.</summary>
    private static readonly IReadOnlyList<int> Tokens = TokenGrid.Range(8, 168, 8);

    /// <summary>Reductions and scores at these counts.</summary>
    private static readonly IReadOnlyList<int> ReductionTokens = TokenGrid.Range(16, 160, 16);

    /// <summary>Rounds per measured plan: fewer than search's default, so that the journey takes at most 10 minutes here.</summary>
    private const int JourneyRounds = 64;

    /// <summary>
    /// The scores the journey's searches rank by: the attention scores. The token norm costs each search a third of
    /// its time and never won in a journey here: 64–71% validation accuracy with the latency cost and 79% with the
    /// FLOPs cost, against 81–86% and 87–90% for the attention scores (`search` tries all three by default).
    /// </summary>
    private static readonly IReadOnlyList<ScoreKind> JourneyScores = [ScoreKind.Cls, ScoreKind.LastText];

    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder for the profile, surrogate and search result", DefaultValueFactory = _ => Path.Combine("runs", "journey") };
        var target = new Option<double>("--target") { Description = "Latency budget as a fraction of the unreduced model's", DefaultValueFactory = _ => 0.6 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var count = new Option<int>("--count") { Description = "Test questions per plan, the same for every plan (4,000: a drop of the searched plan is then known to about ±0.4 points)", DefaultValueFactory = _ => 4000 };
        var json = CommonOptions.Json();
        var command = new Command("journey", "Profile this CPU on tiny, fit, search a plan for the shipped model and verify it here") { folder, target, threads, count, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var clock = Stopwatch.StartNew();
            var dir = result.GetValue(folder)!;
            double fraction = result.GetValue(target);
            if (!(fraction > 0 && fraction <= 1)) throw new InputException($"--target must lie in (0, 1], got {fraction}");
            int threadCount = CommonOptions.Positive(result.GetValue(threads), "--threads");
            int questions = CommonOptions.Positive(result.GetValue(count), "--count");
            var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
            using var _model = model;

            var profilePath = Path.Combine(dir, "torch-cpu-tiny.profile.json");
            Console.Error.WriteLine($"1/3 profiling this CPU on tiny ({profilePath})");
            var preset = Preset.Tiny;
            int code = ProfileRun.Execute(new ProfileRequest
            {
                Backend = BackendFactory.Torch, Device = "cpu", Threads = threadCount, Quiet = true,
                Settings = new ProfileSettings
                {
                    Preset = preset, Tokens = Tokens, ReductionTokens = ReductionTokens, Output = profilePath, Force = true,
                },
            });
            if (code != CommandLine.Success) return code;

            var surrogatePath = SurrogateFile.PathBeside(profilePath);
            Console.Error.WriteLine($"2/3 fitting the latency surrogate ({surrogatePath})");
            var fit = CostModelFitter.Fit(ProfileReader.Read(profilePath), profilePath, progress: message => Console.Error.WriteLine(message));
            var latencySurrogate = new LatencySurrogate(SurrogateFile.Write(surrogatePath, fit.Document, force: true));

            var searchPath = Path.Combine(dir, "search.json");
            Console.Error.WriteLine($"3/3 searching a plan at {fraction:P0} of the unreduced latency and verifying it ({searchPath})");
            TorchSharp.torch.set_num_threads(threadCount);
            using var latency = new LatencyCost(latencySurrogate, preset);
            var flops = new FlopsCost(preset);
            var request = new SearchRequest
            {
                TargetFraction = fraction, TestCount = questions, Threads = threadCount, Calibrate = true, Scores = JourneyScores, Rounds = JourneyRounds,
            };
            var report = SearchCommand.Run(model, latency, flops, request);
            SearchOutput.Write(searchPath, [report], "latency", result.GetValue(json));
            Console.Error.WriteLine($"journey done in {clock.Elapsed:mm\\:ss}");
            return CommandLine.Success;
        }));
        return command;
    }
}
