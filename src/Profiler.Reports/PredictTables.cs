using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Search.Prediction;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>predict</c> prints: the outcome's fields as JSON or as a grid, with the transfer's lines and the warnings on stderr.</summary>
public static class PredictTables
{
    /// <summary>Writes <paramref name="outcome"/>: with <paramref name="json"/> its fields (the transfer as an object) on stdout.</summary>
    public static void Write(PredictOutcome outcome, bool json)
    {
        var fields = new Dictionary<string, object?>(outcome.Fields);
        if (json)
        {
            fields["transfer"] = outcome.Transfer.Json();
            Console.WriteLine(JsonSerializer.Serialize(fields));
            foreach (var line in outcome.Transfer.Lines) Console.Error.WriteLine(line);
            return;
        }
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in fields.Where(p => p.Value is not null && p.Key != "warnings" && p.Key != "layers"))
            grid.AddRow(TerminalText.Escape(name), TerminalText.Escape(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        AnsiConsole.Write(grid);
        foreach (var line in outcome.Transfer.Lines) Console.Error.WriteLine(line);
        foreach (var warning in outcome.Warnings) Console.Error.WriteLine($"warning: {PrintableText.Line(warning)}");
    }
}
