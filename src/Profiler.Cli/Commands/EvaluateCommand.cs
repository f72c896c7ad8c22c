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
            int threadCount = InputCheck.Positive(result.GetValue(threads), "--threads");
            int questions = InputCheck.Positive(result.GetValue(count), "--count");
            TorchSharp.torch.set_num_threads(threadCount);
            var plans = new List<NamedPlan> { new("no reduction", ReductionPlan.None) };
            if (result.GetValue(plan) is { } planPath) plans[0] = new NamedPlan(Path.GetFileName(planPath), ReductionPlan.Read(planPath));
            var path = result.GetValue(checkpoint) ?? Checkpoint.ShippedPath;
            var (model, info) = Checkpoint.Load(path);
            using var _ = model;
            if (result.GetValue(fixedPlans)) plans.AddRange(FixedPlans.All());
            int testSeed = result.GetValue(seed);
            var reports = ProgressDisplay.Track($"evaluating {plans.Count} plan(s) on {questions} questions", report =>
                Evaluator.EvaluateEach(model, plans, testSeed, questions, report));
            if (result.GetValue(json)) EvaluateTables.WriteJson(path, info, testSeed, plans, reports);
            else EvaluateTables.WriteTables(path, info, plans, reports);
            return CommandLine.Success;
        }));
        return command;
    }
}
