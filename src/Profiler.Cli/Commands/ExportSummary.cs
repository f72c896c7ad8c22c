using System.Globalization;
using Profiler.Backends.Onnx.Export;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Operators.Plans;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>What <c>export</c> wrote and, with --check, how its answers compare with TorchSharp's.</summary>
internal sealed record ExportSummary(string Path, long Bytes, int Nodes, string Checkpoint, ReductionPlan Plan, int Batch, OnnxModel Model, ParityReport? Parity)
{
    /// <summary>The --json document.</summary>
    public Dictionary<string, object?> ToJson() => new()
    {
        ["out"] = Path,
        ["bytes"] = Bytes,
        ["nodes"] = Nodes,
        ["checkpoint"] = Checkpoint,
        ["plan"] = Plan.Steps,
        ["batch"] = Batch,
        ["inputs"] = Model.Inputs.Select(Value).ToList(),
        ["outputs"] = Model.Outputs.Select(Value).ToList(),
        ["check"] = Parity is null ? null : new Dictionary<string, object?>
        {
            ["questions"] = Parity.Questions,
            ["seed"] = Parity.Seed,
            ["largestLogitDifference"] = Parity.LargestLogitDifference,
            ["answersDiffering"] = Parity.AnswersDiffering,
            ["overTolerance"] = Parity.OverTolerance,
            ["nearTies"] = Parity.NearTies,
            ["largestAwayFromTies"] = Parity.LargestAwayFromTies,
            ["answersDifferingAwayFromTies"] = Parity.AnswersDifferingAwayFromTies,
            ["overToleranceAwayFromTies"] = Parity.OverToleranceAwayFromTies,
            ["tolerance"] = ParityReport.Tolerance,
            ["nudge"] = ExportParity.Nudge,
            ["passed"] = Parity.Passed,
        },
    };

    /// <summary>The lines a person reads.</summary>
    public void Print()
    {
        SearchOutput.WideWhenRedirected();
        var console = AnsiConsole.Console;
        console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
            $"written {Path} ({Bytes / 1e6:F2} MB, {Nodes} nodes): checkpoint {Checkpoint}, plan {Plan.Describe()}, batch {Batch}")));
        console.MarkupLine(TerminalText.Escape(
            $"inputs {string.Join(", ", Model.Inputs.Select(Describe))}; output {string.Join(", ", Model.Outputs.Select(Describe))}"));
        if (Parity is { } p)
        {
            console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
                $"against TorchSharp on {p.Questions} test questions (seed {p.Seed}): largest logit difference {p.LargestLogitDifference:E2}, {p.AnswersDiffering} answers differ, {p.OverTolerance} questions over {ParityReport.Tolerance:E0}")));
            console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
                $"near-ties (TorchSharp itself moves over {ParityReport.Tolerance:E0} with noise of {ExportParity.Nudge:E0} on the pixels or the question run alone): {p.NearTies}; on the other questions largest difference {p.LargestAwayFromTies:E2} ({p.OverToleranceAwayFromTies} over), {p.AnswersDifferingAwayFromTies} answers differ: {(p.Passed ? "within the target" : "OVER the target")}")));
        }
    }

    private static object Value(OnnxValueInfo v) => new { name = v.Name, type = TypeName(v.ElementType), shape = v.Shape.Select(d => d.Value).ToList() };

    private static string Describe(OnnxValueInfo v) => $"{v.Name} {TypeName(v.ElementType)} {string.Join("×", v.Shape.Select(d => d.Value))}";

    private static string TypeName(OnnxElementType type) => type == OnnxElementType.Int64 ? "int64" : "float32";
}
