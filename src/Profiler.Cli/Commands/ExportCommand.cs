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
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Checkpoint to export (default: the shipped tiny model)" };
        var plan = new Option<string?>("--plan") { Description = "Reduction plan file, as search and evaluate read it (default: no reduction)" };
        var output = new Option<string>("--out") { Description = "The ONNX file to write", Required = true };
        var batch = new Option<int>("--batch") { Description = "Questions per run the model is built for", DefaultValueFactory = _ => 1 };
        var check = new Option<int?>("--check")
        {
            Description = $"Compare the file's answer logits with TorchSharp's on N test questions (default {ExportJob.DefaultCheckQuestions})",
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
            var job = new ExportJob(result.GetValue(output)!, result.GetValue(plan), result.GetValue(checkpoint), result.GetValue(batch), result.GetValue(check),
                result.GetValue(seed), result.GetValue(threads), result.GetValue(force));
            var outcome = job.CheckQuestions is { } count
                ? ProgressDisplay.Track($"checking {count} test questions against TorchSharp", report => job.Run(n => report((double)n / count, $"{n}/{count} questions")))
                : job.Run();
            if (result.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(ExportSummary.Json(outcome), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            else ExportSummary.Print(outcome);
            if (outcome.Parity is { Passed: false } parity)
            {
                Console.Error.WriteLine(ExportSummary.Failure(parity));
                return CommandLine.InternalError;
            }
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>--check alone means <see cref="ExportJob.DefaultCheckQuestions"/>; a number must be positive.</summary>
    private static int? CheckCount(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return ExportJob.DefaultCheckQuestions;
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1) return count;
        result.AddError($"--check takes a positive number of questions, not '{text}'");
        return null;
    }
}
