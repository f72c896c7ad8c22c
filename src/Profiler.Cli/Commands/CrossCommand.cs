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
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

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
            int threadCount = CommonOptions.Positive(result.GetValue(threads), "--threads");
            if (threadCount > Environment.ProcessorCount) throw new InputException($"--threads {threadCount} is more than this machine's {Environment.ProcessorCount} cores");
            var runtimes = result.GetValue(backends)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(BackendFactory.Name).Distinct().ToList();
            if (runtimes.Count == 0) throw new InputException("--backends names no runtime");
            var named = result.GetValue(plans)!.Select(ParsePlan).ToList();
            var settings = new EngineSettings().WithExactRounds(result.GetValue(rounds));
            int questions = CommonOptions.Positive(result.GetValue(count), "--count");
            TorchSharp.torch.set_num_threads(threadCount);
            var (model, _) = Checkpoint.Load(result.GetValue(checkpoint) ?? Checkpoint.ShippedPath);
            using var _model = model;
            foreach (var plan in named) _ = plan.Plan.Tokens(model.Shape.Layers, VqaModel.InputLayout.Count, VqaModel.InputLayout.ProtectedCount);
            var report = ProgressDisplay.Track("measuring plans on every runtime", report =>
                CrossRuntime.Measure(model, named, runtimes, result.GetValue(device)!, threadCount, settings, questions, result.GetValue(seed),
                    say: message => report(double.NaN, message),
                    measuring: p => report(p.Fraction, $"measuring · round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} forwards done")));
            var text = JsonSerializer.Serialize(Json(report), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            if (outPath is not null) AtomicFile.Write(outPath, System.Text.Encoding.UTF8.GetBytes(text + "\n"), overwrite: result.GetValue(force));
            if (result.GetValue(json)) Console.WriteLine(text);
            else Print(report);
            return CommandLine.Success;
        }));
        return command;
    }

    private static RuntimePlan ParsePlan(string text)
    {
        int at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1) throw new InputException($"--plan {PrintableText.Line(text)}: give NAME=FILE, e.g. torch=runs/search-torch.json");
        var name = text[..at].Trim();
        var plan = ReductionPlan.Read(text[(at + 1)..].Trim());
        string? madeFor = BackendFactory.IsName(name.ToLowerInvariant()) ? name.ToLowerInvariant() : null;
        return new RuntimePlan(name, plan, madeFor);
    }

    private static object Json(CrossReport report) => new
    {
        estimator = LatencyEstimate.Name,
        unreduced = report.Backends.Select((b, i) => new { backend = b, latencyMs = report.Unreduced[i].Value.Milliseconds }).ToList(),
        plans = report.Plans.Select((p, i) => new
        {
            name = p.Name,
            madeFor = p.MadeFor,
            plan = p.Plan.Steps,
            accuracy = report.Accuracy[i].Accuracy,
            questions = report.Accuracy[i].Count,
            accuracyVersusFirstPoints = Points(report.AccuracyVersusFirst[i]),
            runtimes = report.Backends.Select(b => report.Cell(p.Name, b)).Select(c => new
            {
                backend = c.Backend,
                latencyMs = c.Latency.Value.Milliseconds,
                share = Ratio(c.Share),
                versusOwnPlan = c.VersusOwn is { } v ? Ratio(v) : null,
            }).ToList(),
        }).ToList(),
    };

    private static object Ratio(PairedRatio r) => new { median = r.Median, low = r.Low, high = r.High, rounds = r.Rounds };

    private static object Points(PairedDifference d) => new { points = d.Points, low = d.Low, high = d.High };

    private static void Print(CrossReport report)
    {
        SearchOutput.WideWhenRedirected();
        var table = new Table().Title("measured share of each runtime's unreduced model (95% CI, paired round by round)");
        table.AddColumn("plan");
        table.AddColumn("accuracy");
        foreach (var (backend, i) in report.Backends.Select((b, i) => (b, i)))
            table.AddColumn(new TableColumn(TerminalText.Escape(string.Create(C, $"on {backend} ({report.Unreduced[i].Value.Milliseconds:0.00} ms unreduced)"))).RightAligned());
        foreach (var (plan, i) in report.Plans.Select((p, i) => (p, i)))
        {
            var accuracy = string.Create(C, $"{100 * report.Accuracy[i].Accuracy:0.0}%") + (i == 0 ? "" : $" ({report.AccuracyVersusFirst[i]} vs {report.Plans[0].Name})");
            var row = new List<string> { $"{plan.Name}: {plan.Plan.Describe()}", accuracy };
            row.AddRange(report.Backends.Select(b => Cell(report.Cell(plan.Name, b))));
            table.AddRow(row.Select(TerminalText.Escape).ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(TerminalText.Escape(
            $"A plan's time against the plan searched for that runtime, on that runtime, is given as ×ratio: above 1, deploying it there costs that much more; an interval holding 1 is no result. Accuracy: paired difference in points. {report.Accuracy[0].Count} questions each."));
    }

    private static string Cell(CrossCell c) =>
        string.Create(C, $"{100 * c.Share.Median:0.0}% ({100 * c.Share.Low:0.0}–{100 * c.Share.High:0.0})")
        + (c.VersusOwn is { } v ? string.Create(C, $" · ×{v.Median:0.000} ({v.Low:0.000}–{v.High:0.000})") : "");
}
