using System.CommandLine;
using System.Globalization;
using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Reduction;
using Profiler.Profiles;
using Profiler.Search;
using Profiler.Tasks.Network;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>search</c>: the differentiable operator search on the shipped model against a latency surrogate (or FLOPs),
/// then the verification of its plan and of the baselines: test accuracy and measured latency on this device.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var defaults = new SearchSettings();
        var surrogate = new Option<string>("--surrogate") { Description = "Surrogate file (fit --out) of the device to search for", Required = true };
        var cost = new Option<string>("--cost") { Description = "What the search minimises: latency or flops", DefaultValueFactory = _ => "latency" };
        var target = new Option<string>("--target") { Description = "Budget: a fraction of the unreduced model's cost (0.6) or a latency with a unit (12ms)", DefaultValueFactory = _ => "0.6" };
        var sweep = new Option<string?>("--sweep") { Description = "Several fractions (0.4,0.5,0.6): one run each and a Pareto plot" };
        var loss = new Option<string>("--loss") { Description = "hinge: CE + λ·max(0, E/target − 1); fbnet: CE·a·(log E)^b", DefaultValueFactory = _ => "hinge" };
        var score = new Option<string>("--score") { Description = "Score the reductions rank tokens by: norm, cls, last-text, or auto (search with each, keep the best plan by validation accuracy)", DefaultValueFactory = _ => "auto" };
        var steps = new Option<int>("--steps") { Description = "Search steps", DefaultValueFactory = _ => defaults.Steps };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Model checkpoint (default: the shipped tiny model)" };
        var device = new Option<string>("--device") { Description = "Device the plans are measured on", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var count = new Option<int>("--count") { Description = "Test questions per plan, the same for every plan (4,000: a drop of the searched plan is then known to about ±0.4 points)", DefaultValueFactory = _ => 4000 };
        var validation = new Option<int>("--validation") { Description = "Validation questions each plan the search chooses between is ranked on (a split apart from the test questions)", DefaultValueFactory = _ => SearchRequest.DefaultValidationCount };
        var seed = new Option<int>("--seed") { Description = "Seed of the test questions", DefaultValueFactory = _ => 0 };
        var rounds = new Option<int>("--rounds") { Description = "Bursts per plan when the plans are measured", DefaultValueFactory = _ => SearchRequest.DefaultRounds };
        var noBaselines = new Option<bool>("--no-baselines") { Description = "Skip the fixed-operator baselines and the search with the other cost" };
        var output = new Option<string>("--out") { Description = "Result file", DefaultValueFactory = _ => "search.json" };
        var plots = new Option<string?>("--plots") { Description = "Folder for PNGs: search history, and with --sweep the Pareto plot" };
        var force = new Option<bool>("--force") { Description = "Replace an existing result file" };
        var allowMismatch = new Option<bool>("--allow-mismatch") { Description = "Measure on a device other than the one the surrogate was fitted for (cross-device)" };
        var finetune = new Option<bool>("--finetune") { Description = "Train the model's weights jointly with the plan, then every verified plan on its discrete form (baselines too); the searched plan's checkpoint is written beside --out (.ckpt)" };
        var finetuneSteps = new Option<int>("--finetune-steps") { Description = "With --finetune, the steps each plan trains on its discrete form", DefaultValueFactory = _ => defaults.FinetuneSteps };
        var backend = CommonOptions.PlanBackend();
        var noTransfer = CommonOptions.NoTransfer();
        var strict = CommonOptions.Strict();
        var json = CommonOptions.Json();
        var command = new Command("search", "Search a reduction plan for a latency (or FLOPs) budget and verify it on this device")
            { surrogate, cost, target, sweep, loss, score, steps, checkpoint, finetune, finetuneSteps, backend, device, threads, count, validation, seed, rounds, noBaselines, output, plots, force, allowMismatch, noTransfer, strict, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var outPath = result.GetValue(output)!;
            if (File.Exists(outPath) && !result.GetValue(force)) throw new InputException(AtomicFile.ExistsMessage(outPath));
            int threadCount = CommonOptions.Positive(result.GetValue(threads), "--threads");
            TorchSharp.torch.set_num_threads(threadCount);
            var costName = result.GetValue(cost)!.Trim().ToLowerInvariant();
            if (costName is not ("latency" or "flops")) throw new InputException($"--cost must be latency or flops, not '{costName}'");
            var scores = ParseScores(result.GetValue(score)!);
            var settings = new SearchSettings
            {
                Loss = ParseLoss(result.GetValue(loss)!), Steps = CommonOptions.Positive(result.GetValue(steps), "--steps"), Score = scores[0],
                Finetune = result.GetValue(finetune), FinetuneSteps = CommonOptions.Positive(result.GetValue(finetuneSteps), "--finetune-steps"),
            };
            var targets = result.GetValue(sweep) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseTarget).ToList()
                : [ParseTarget(result.GetValue(target)!)];

            var loaded = LatencySurrogate.Load(result.GetValue(surrogate)!);
            var (model, info) = Checkpoint.Load(result.GetValue(checkpoint) ?? Checkpoint.ShippedPath);
            using var _model = model;
            var preset = Preset.Tiny with { Shape = model.Shape };
            var deviceName = result.GetValue(device)!;
            var backendName = CommonOptions.PlanBackendOr(result.GetValue(backend), loaded);
            var mismatch = loaded.CheckFingerprint(PlanLatency.Fingerprint(backendName, deviceName, threadCount), "the device the plans are measured on", result.GetValue(allowMismatch));
            // On the device the surrogate predicts for, the search calibrates its predictions on measured forwards.
            bool here = mismatch is null;

            int bursts = result.GetValue(rounds);
            _ = new Measurement.Engine.EngineSettings().WithExactRounds(bursts); // refuses too few bursts before any work
            // Checked and said once the input is known good, so that bad input stays a one-line error.
            var transfer = SurrogateTransferChoice.Make(loaded, result.GetValue(noTransfer), result.GetValue(strict));
            using var latency = new LatencyCost(transfer.Surrogate, preset, scores);
            var flops = new FlopsCost(preset);
            foreach (var line in transfer.Lines) Console.Error.WriteLine(line);
            if (mismatch is not null) Console.Error.WriteLine($"warning: {mismatch}");
            var reports = new List<SearchReport>();
            foreach (var (fraction, ms) in targets)
            {
                var request = new SearchRequest
                {
                    TargetFraction = fraction, TargetMs = ms, Cost = costName, Settings = settings, TestCount = CommonOptions.Positive(result.GetValue(count), "--count"),
                    TestSeed = result.GetValue(seed), ValidationCount = CommonOptions.Positive(result.GetValue(validation), "--validation"), Device = deviceName,
                    Threads = threadCount, Baselines = !result.GetValue(noBaselines), Calibrate = here, Scores = scores, Rounds = bursts, Backend = backendName,
                };
                reports.Add(Run(model, latency, flops, request, settings.Finetune ? SaveFinetuned(outPath, info, settings, fraction, ms, targets.Count > 1) : null));
            }
            SearchOutput.Write(outPath, reports, costName, result.GetValue(json));
            if (result.GetValue(plots) is { } folder) SearchPlots.Write(folder, reports);
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>One search run with a progress bar.</summary>
    public static SearchReport Run(VqaModel model, LatencyCost latency, FlopsCost flops, SearchRequest request, Action<VqaModel>? finetuned = null) =>
        ProgressDisplay.Track("searching", report =>
            SearchRun.Run(model, latency, flops, request, finetuned: finetuned,
                say: message => report(double.NaN, message),
                progress: p => report((double)p.Step / p.Steps, string.Create(CultureInfo.InvariantCulture,
                    $"step {p.Step}/{p.Steps} · loss {p.Loss:F3} · accuracy {p.Accuracy:P0} · E[{request.Cost}] {p.ExpectedCost:G4} · τ {p.Temperature:F2}")),
                measuring: p => report(p.Fraction, $"measuring · round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} plans done")));

    /// <summary>Writes a fine-tuned model beside <paramref name="outPath"/> (search.json → search.ckpt; with a sweep, one per target).</summary>
    private static Action<VqaModel> SaveFinetuned(string outPath, CheckpointInfo info, SearchSettings settings, double? fraction, double? ms, bool sweep)
    {
        string label = fraction?.ToString(CultureInfo.InvariantCulture) ?? string.Create(CultureInfo.InvariantCulture, $"{ms}ms");
        var path = Path.ChangeExtension(outPath, null) + (sweep ? "-" + label : "") + ".ckpt";
        var tuned = info with { ValidationAccuracy = null, Settings = $"{info.Settings}; fine-tuned by search at target {label}: {settings.Steps} steps with the plan, then {settings.FinetuneSteps} on its discrete form" };
        return model => Checkpoint.Save(path, model, tuned);
    }

    private static (double? Fraction, double? Ms) ParseTarget(string text)
    {
        var t = text.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            if (!(fraction > 0 && fraction <= 1)) throw new InputException($"--target {t}: a fraction must lie in (0, 1]");
            return (fraction, null);
        }
        var latency = Latency.Parse(t);
        if (!(latency.Milliseconds > 0)) throw new InputException($"--target {t}: a latency budget must be positive");
        return (null, latency.Milliseconds);
    }

    /// <summary>The scores a search tries: the one named, or all of <see cref="LatencyCost.SearchScores"/> for "auto".</summary>
    public static IReadOnlyList<ScoreKind> ParseScores(string text) =>
        text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? LatencyCost.SearchScores : [ScoreKinds.Parse(text)];

    private static SearchLoss ParseLoss(string text) => text.Trim().ToLowerInvariant() switch
    {
        "hinge" => SearchLoss.Hinge,
        "fbnet" => SearchLoss.Fbnet,
        _ => throw new InputException($"--loss must be hinge or fbnet, not '{text}'"),
    };
}
