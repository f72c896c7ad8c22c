using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>evaluate</c>: accuracy of a checkpoint (the shipped one by default), optionally under a reduction plan, on
/// freshly generated test questions; with --fixed-plans, the accuracy table of the fixed reduction plans.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint to evaluate (default: the shipped tiny model)" };
        var plan = new Option<string?>("--plan") { Description = "Reduction plan file (JSON list of {layer, keep, operator, score})" };
        var seed = new Option<int>("--seed") { Description = "Seed of the test questions", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Test questions", DefaultValueFactory = _ => 5000 };
        var fixedPlans = new Option<bool>("--fixed-plans") { Description = "Also evaluate the fixed plans (prune by norm or CLS attention, merge, pool, random; 50% and 25% in layers 1 and 2)" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Accuracy of the task's model on fresh test questions, with or without a reduction plan")
            { checkpoint, plan, seed, count, fixedPlans, threads, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            int threadCount = CommonOptions.Positive(result.GetValue(threads), "--threads");
            int questions = CommonOptions.Positive(result.GetValue(count), "--count");
            TorchSharp.torch.set_num_threads(threadCount);
            var plans = new List<NamedPlan> { new("no reduction", ReductionPlan.None) };
            if (result.GetValue(plan) is { } planPath) plans[0] = new NamedPlan(Path.GetFileName(planPath), ReductionPlan.Read(planPath));
            var path = result.GetValue(checkpoint) ?? Checkpoint.ShippedPath;
            var (model, info) = Checkpoint.Load(path);
            using var _ = model;
            if (result.GetValue(fixedPlans)) plans.AddRange(FixedPlans.All());
            int testSeed = result.GetValue(seed);
            var reports = ProgressDisplay.Track($"evaluating {plans.Count} plan(s) on {questions} questions", report =>
            {
                var done = new List<AccuracyReport>();
                foreach (var named in plans)
                {
                    var reductions = FixedReduction.ForPlan(named.Plan, model.Shape.Layers);
                    done.Add(Evaluator.Evaluate(model, Split.Test, testSeed, questions, reductions,
                        n => report((done.Count + (double)n / questions) / plans.Count, named.Name)));
                    foreach (var r in reductions) r?.Dispose();
                }
                return done;
            });
            if (result.GetValue(json)) WriteJson(path, info, testSeed, plans, reports);
            else WriteTables(path, info, plans, reports);
            return CommandLine.Success;
        }));
        return command;
    }

    private static void WriteJson(string path, CheckpointInfo info, int seed, List<NamedPlan> plans, List<AccuracyReport> reports)
    {
        var first = reports[0];
        var output = new Dictionary<string, object?>
        {
            ["accuracy"] = first.Accuracy,
            ["perType"] = QuestionTypes.All.ToDictionary(t => t.Name(), t => first.PerType[t]),
            ["count"] = first.Count,
            ["seed"] = seed,
            ["checkpoint"] = path,
            ["trainedSteps"] = info.Steps,
            ["plan"] = plans[0].Plan.Steps,
            ["majorityBaseline"] = QuestionTypes.All.ToDictionary(t => t.Name(), AccuracyReport.MajorityBaseline),
        };
        if (plans.Count > 1)
            output["fixedPlans"] = plans.Skip(1).Zip(reports.Skip(1), (p, r) => new { name = p.Name, plan = p.Plan.Steps, result = AccuracyJson.Of(r) }).ToList();
        Console.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    private static void WriteTables(string path, CheckpointInfo info, List<NamedPlan> plans, List<AccuracyReport> reports)
    {
        SearchOutput.WideWhenRedirected();
        var console = AnsiConsole.Console;
        console.Write(AccuracyTable.Of(plans[0].Name, reports[0]));
        if (plans.Count > 1)
        {
            var table = new Table().Title("accuracy under fixed plans (points against no reduction)").AddColumn("plan").AddColumn(new TableColumn("overall").RightAligned());
            foreach (var t in QuestionTypes.All) table.AddColumn(new TableColumn(t.Name()).RightAligned());
            var baseline = reports[0];
            for (int i = 1; i < plans.Count; i++)
            {
                var r = reports[i];
                var cells = new List<string> { TerminalText.Escape(plans[i].Name), Cell(r.Accuracy, baseline.Accuracy) };
                cells.AddRange(QuestionTypes.All.Select(t => Cell(r.PerType[t], baseline.PerType[t])));
                table.AddRow(cells.ToArray());
            }
            console.Write(table);
        }
        console.MarkupLine(TerminalText.Escape($"checkpoint {path}: {info.Steps} steps, {info.Questions} questions, {TimeSpan.FromSeconds(info.TrainingSeconds):hh\\:mm\\:ss} of training"));
    }

    private static string Cell(double accuracy, double baseline) =>
        string.Create(CultureInfo.InvariantCulture, $"{100 * accuracy:F1} ({100 * (accuracy - baseline):+0.0;-0.0})");
}
