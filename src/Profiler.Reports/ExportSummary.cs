using System.Globalization;
using Profiler.Backends.Onnx.Export;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Operators.Plans;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>export</c> prints: what it wrote and, with --check, how its answers compare with TorchSharp's.</summary>
public static class ExportSummary
{
    /// <summary>The --json document.</summary>
    public static Dictionary<string, object?> Json(ExportOutcome o) => new()
    {
        ["out"] = o.Path,
        ["bytes"] = o.Bytes,
        ["nodes"] = o.Nodes,
        ["checkpoint"] = o.Checkpoint,
        ["plan"] = o.Plan.Steps,
        ["batch"] = o.Batch,
        ["inputs"] = o.Model.Inputs.Select(Value).ToList(),
        ["outputs"] = o.Model.Outputs.Select(Value).ToList(),
        ["check"] = o.Parity is null ? null : new Dictionary<string, object?>
        {
            ["questions"] = o.Parity.Questions,
            ["seed"] = o.Parity.Seed,
            ["largestLogitDifference"] = o.Parity.LargestLogitDifference,
            ["answersDiffering"] = o.Parity.AnswersDiffering,
            ["overTolerance"] = o.Parity.OverTolerance,
            ["nearTies"] = o.Parity.NearTies,
            ["largestAwayFromTies"] = o.Parity.LargestAwayFromTies,
            ["answersDifferingAwayFromTies"] = o.Parity.AnswersDifferingAwayFromTies,
            ["overToleranceAwayFromTies"] = o.Parity.OverToleranceAwayFromTies,
            ["tolerance"] = ParityReport.Tolerance,
            ["nudge"] = ExportParity.Nudge,
            ["passed"] = o.Parity.Passed,
        },
    };

    /// <summary>The lines a person reads.</summary>
    public static void Print(ExportOutcome o)
    {
        ReportConsole.WideWhenRedirected();
        var console = AnsiConsole.Console;
        console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
            $"written {o.Path} ({o.Bytes / 1e6:F2} MB, {o.Nodes} nodes): checkpoint {o.Checkpoint}, plan {o.Plan.Describe()}, batch {o.Batch}")));
        console.MarkupLine(TerminalText.Escape(
            $"inputs {string.Join(", ", o.Model.Inputs.Select(Describe))}; output {string.Join(", ", o.Model.Outputs.Select(Describe))}"));
        if (o.Parity is { } p)
        {
            console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
                $"against TorchSharp on {p.Questions} test questions (seed {p.Seed}): largest logit difference {p.LargestLogitDifference:E2}, {p.AnswersDiffering} answers differ, {p.OverTolerance} questions over {ParityReport.Tolerance:E0}")));
            console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
                $"near-ties (TorchSharp itself moves over {ParityReport.Tolerance:E0} with noise of {ExportParity.Nudge:E0} on the pixels or the question run alone): {p.NearTies}; on the other questions largest difference {p.LargestAwayFromTies:E2} ({p.OverToleranceAwayFromTies} over), {p.AnswersDifferingAwayFromTies} answers differ: {(p.Passed ? "within the target" : "OVER the target")}")));
        }
    }

    /// <summary>The error line of a check that failed.</summary>
    public static string Failure(ParityReport p) => string.Create(CultureInfo.InvariantCulture,
        $"error: the export does not match TorchSharp: away from near-ties, largest logit difference {p.LargestAwayFromTies:E2} (target {ParityReport.Tolerance:E0}) and {p.AnswersDifferingAwayFromTies} answers differ");

    private static object Value(OnnxValueInfo v) => new { name = v.Name, type = TypeName(v.ElementType), shape = v.Shape.Select(d => d.Value).ToList() };

    private static string Describe(OnnxValueInfo v) => $"{v.Name} {TypeName(v.ElementType)} {string.Join("×", v.Shape.Select(d => d.Value))}";

    private static string TypeName(OnnxElementType type) => type == OnnxElementType.Int64 ? "int64" : "float32";
}
