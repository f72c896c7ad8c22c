using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Operators.Plans;
using Profiler.Profiles;
using Profiler.Search;
using Profiler.Tasks.Network;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>cross</c>: plans searched for different runtimes, each measured on every runtime (the task's model on torch,
/// its export on onnx), with what deploying another runtime's plan costs, and the plans' accuracies on the same questions.
/// </summary>
internal static class CrossCommand
{
    public static Command Create()
    {
        var plans = new Option<string[]>("--plan")
        {
            Description = "NAME=FILE, a plan or a search result; NAME torch or onnx marks the plan searched for that runtime (give --plan once per plan)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var backends = new Option<string>("--backends") { Description = "Runtimes to measure every plan on", DefaultValueFactory = _ => "torch,onnx" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Model checkpoint (default: the shipped tiny model)" };
        var device = new Option<string>("--device") { Description = "Device the plans are measured on", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rounds = new Option<int>("--rounds") { Description = "Bursts per plan, paired round by round", DefaultValueFactory = _ => SearchRequest.DefaultRounds };
        var count = new Option<int>("--count") { Description = "Test questions per plan, the same for every plan", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the test questions", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Also write the report as JSON to this file" };
        var force = new Option<bool>("--force") { Description = "Replace --out if it exists" };
        var json = CommonOptions.Json();
        var command = new Command("cross", "Measure plans searched for different runtimes on every runtime: what the wrong plan costs where it is deployed")
            { plans, backends, checkpoint, device, threads, rounds, count, seed, output, force, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var outPath = result.GetValue(output);
            if (outPath is not null && File.Exists(outPath) && !result.GetValue(force)) throw new InputException(AtomicFile.ExistsMessage(outPath));
            int threadCount = InputCheck.Threads(result.GetValue(threads));
            var runtimes = BackendFactory.ParseList(result.GetValue(backends)!);
            var named = result.GetValue(plans)!.Select(RuntimePlan.Parse).ToList();
            var settings = new EngineSettings().WithExactRounds(result.GetValue(rounds));
            int questions = InputCheck.Positive(result.GetValue(count), "--count");
            TorchSharp.torch.set_num_threads(threadCount);
            var (model, _) = Checkpoint.Load(result.GetValue(checkpoint) ?? Checkpoint.ShippedPath);
            using var _model = model;
            foreach (var plan in named) _ = plan.Plan.Tokens(model.Shape.Layers, VqaModel.InputLayout.Count, VqaModel.InputLayout.ProtectedCount);
            var report = ProgressDisplay.Track("measuring plans on every runtime", report =>
                CrossRuntime.Measure(model, named, runtimes, result.GetValue(device)!, threadCount, settings, questions, result.GetValue(seed),
                    say: message => report(double.NaN, message),
                    measuring: p => report(p.Fraction, $"measuring · round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} forwards done")));
            var text = JsonSerializer.Serialize(CrossTables.Json(report), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            if (outPath is not null) AtomicFile.Write(outPath, System.Text.Encoding.UTF8.GetBytes(text + "\n"), overwrite: result.GetValue(force));
            if (result.GetValue(json)) Console.WriteLine(text);
            else CrossTables.Print(report);
            return CommandLine.Success;
        }));
        return command;
    }
}
