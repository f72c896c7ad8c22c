using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Profiler.Backends.Onnx.Export;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Profiles;
using Profiler.Tasks.Network;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>export</c>: the task's model (the shipped checkpoint by default) under a plan, written as one ONNX file; with
/// --check, its answers compared with TorchSharp's on test questions.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Test questions --check runs when given no number.</summary>
    public const int DefaultCheckQuestions = 500;

    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint to export (default: the shipped tiny model)" };
        var plan = new Option<string?>("--plan") { Description = "Reduction plan file, as search and evaluate read it (default: no reduction)" };
        var output = new Option<string>("--out") { Description = "The ONNX file to write", Required = true };
        var batch = new Option<int>("--batch") { Description = "Questions per run the model is built for", DefaultValueFactory = _ => 1 };
        var check = new Option<int?>("--check")
        {
            Description = $"Compare the file's answer logits with TorchSharp's on N test questions (default {DefaultCheckQuestions})",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = CheckCount,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the test questions --check runs", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists" };
        var json = CommonOptions.Json();
        var command = new Command("export", "Write the task's model under a reduction plan as an ONNX file, optionally checked against TorchSharp")
            { checkpoint, plan, output, batch, check, seed, threads, force, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            int threadCount = CommonOptions.Positive(result.GetValue(threads), "--threads");
            if (threadCount > Environment.ProcessorCount) throw new InputException($"--threads {threadCount} is more than this machine's {Environment.ProcessorCount} cores");
            int batchSize = result.GetValue(batch);
            if (batchSize < 1 || batchSize > ModelExport.MaxBatch) throw new InputException($"--batch must be in 1..{ModelExport.MaxBatch}, got {batchSize}");
            var target = result.GetValue(output)!;
            if (Directory.Exists(target)) throw new InputException($"--out {target} is a folder; give the model a file name such as {Path.Combine(target, "model.onnx")}");
            bool replace = result.GetValue(force);
            if (File.Exists(target) && !replace) throw new InputException(AtomicFile.ExistsMessage(target));
            int? questions = result.GetValue(check);
            TorchSharp.torch.set_num_threads(threadCount);

            var planPath = result.GetValue(plan);
            var reduction = planPath is null ? ReductionPlan.None : ReductionPlan.Read(planPath);
            var checkpointPath = result.GetValue(checkpoint) ?? Checkpoint.ShippedPath;
            var (model, _) = Checkpoint.Load(checkpointPath);
            using var _ = model;
            var onnx = ModelExport.Build(model, reduction, batchSize);
            var bytes = onnx.ToBytes();
            AtomicFile.Write(target, bytes, overwrite: replace);

            ParityReport? parity = null;
            if (questions is { } count)
            {
                parity = ProgressDisplay.Track($"checking {count} test questions against TorchSharp", report =>
                    ExportParity.Check(model, reduction, target, count, result.GetValue(seed), threadCount, n => report((double)n / count, $"{n}/{count} questions")));
            }
            var summary = new ExportSummary(target, bytes.Length, onnx.Nodes.Count, checkpointPath, reduction, batchSize, onnx, parity);
            if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(summary.ToJson(), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            else summary.Print();
            if (parity is { Passed: false })
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: the export does not match TorchSharp: away from near-ties, largest logit difference {parity.LargestAwayFromTies:E2} (target {ParityReport.Tolerance:E0}) and {parity.AnswersDifferingAwayFromTies} answers differ"));
                return CommandLine.InternalError;
            }
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>--check alone means <see cref="DefaultCheckQuestions"/>; a number must be positive.</summary>
    private static int? CheckCount(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return DefaultCheckQuestions;
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1) return count;
        result.AddError($"--check takes a positive number of questions, not '{text}'");
        return null;
    }
}
