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
            var scores = SearchNames.ParseScores(result.GetValue(score)!);
            var job = new SearchJob
            {
                Surrogate = result.GetValue(surrogate)!, Checkpoint = result.GetValue(checkpoint),
                Targets = SearchTarget.ParseList(result.GetValue(sweep) ?? result.GetValue(target)!),
                AllowMismatch = result.GetValue(allowMismatch), NoTransfer = result.GetValue(noTransfer), Strict = result.GetValue(strict), FinetunedBeside = outPath,
                Backend = result.GetValue(backend),
                Request = new SearchRequest
                {
                    Cost = SearchNames.ParseCost(result.GetValue(cost)!), TestCount = InputCheck.Positive(result.GetValue(count), "--count"), TestSeed = result.GetValue(seed),
                    ValidationCount = InputCheck.Positive(result.GetValue(validation), "--validation"), Device = result.GetValue(device)!,
                    Threads = InputCheck.Positive(result.GetValue(threads), "--threads"), Baselines = !result.GetValue(noBaselines), Scores = scores,
                    Rounds = result.GetValue(rounds),
                    Settings = new SearchSettings
                    {
                        Loss = SearchNames.ParseLoss(result.GetValue(loss)!), Steps = InputCheck.Positive(result.GetValue(steps), "--steps"), Score = scores[0],
                        Finetune = result.GetValue(finetune), FinetuneSteps = InputCheck.Positive(result.GetValue(finetuneSteps), "--finetune-steps"),
                    },
                },
            };
            using var session = SearchSession.Open(job, Console.Error.WriteLine);
            var reports = new List<SearchReport>();
            foreach (var request in session.Requests)
            {
                reports.Add(Run(session, request));
                if (reports.Count == session.Requests.Count) break;
                SearchOutput.Save(outPath, reports, job.Request.Cost, sweep: true);
                Console.Error.WriteLine($"{reports.Count} of {session.Requests.Count} targets done: written to {outPath}");
            }
            SearchOutput.Write(outPath, reports, job.Request.Cost, result.GetValue(json));
            if (result.GetValue(plots) is { } folder) SearchPlots.Write(folder, reports);
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>One search run with a progress bar.</summary>
    public static SearchReport Run(SearchSession session, SearchRequest request) =>
        ProgressDisplay.Track("searching", report =>
            session.Run(request,
                say: message => report(double.NaN, message),
                progress: p => report((double)p.Step / p.Steps, string.Create(CultureInfo.InvariantCulture,
                    $"step {p.Step}/{p.Steps} · loss {p.Loss:F3} · accuracy {p.Accuracy:P0} · E[{request.Cost.Name()}] {p.ExpectedCost:G4} · τ {p.Temperature:F2}")),
                measuring: p => report(p.Fraction, $"measuring · round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} plans done")));
}
