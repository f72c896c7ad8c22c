using System.Globalization;
using System.Text.Json;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>evaluate</c> prints: accuracy per question type, and with fixed plans each one's difference from the first.</summary>
public static class EvaluateTables
{
    /// <summary>The --json document on standard output.</summary>
    public static void WriteJson(string path, CheckpointInfo info, int seed, IReadOnlyList<NamedPlan> plans, IReadOnlyList<AccuracyReport> reports)
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

    /// <summary>The tables a person reads: the first plan per question type, then the fixed plans against it.</summary>
    public static void WriteTables(string path, CheckpointInfo info, IReadOnlyList<NamedPlan> plans, IReadOnlyList<AccuracyReport> reports)
    {
        ReportConsole.WideWhenRedirected();
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
