using System.Globalization;
using Profiler.CostModel;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Surrogate;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>fit</c> prints: the accuracy table, the choice per operator and the surrogate's checks.</summary>
public static class FitTables
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Tables(string target, FitResult fit, SurrogateDocument document, IReadOnlyList<string> pngs)
    {
        var chosen = fit.Operators.ToDictionary(o => o.Key.Name, o => o.Choice.Regressor);
        var table = new Table().Title("held-out accuracy (relative error of the profile's latency)")
            .AddColumns("operator", "regressor", "interp. n", "±5%", "±10%", "RMSPE", "MAPE", "extrap. n", "±5%", "±10%", "RMSPE", "MAPE");
        var models = fit.Operators.Select(o => o.Key.Name).Append(AccuracyRow.Overall);
        foreach (var model in models)
        {
            var rows = fit.Accuracy.Where(a => a.Model == model).ToList();
            foreach (var regressor in rows.Select(r => r.Regressor).Distinct())
            {
                var interpolation = rows.FirstOrDefault(r => r.Regressor == regressor && r.Split == HoldOut.Interpolation)?.Metrics;
                var extrapolation = rows.FirstOrDefault(r => r.Regressor == regressor && r.Split == HoldOut.Extrapolation)?.Metrics;
                bool isChosen = chosen.GetValueOrDefault(model) == regressor || regressor == AccuracyRow.Chosen;
                var name = TerminalText.Escape(regressor);
                table.AddRow([TerminalText.Escape(model), isChosen ? $"[bold green]{name} ★[/]" : name, .. Cells(interpolation), .. Cells(extrapolation)]);
            }
            table.AddEmptyRow();
        }
        AnsiConsole.Write(table);

        var checks = new Table().Title("surrogate (soft trees × roofline trend) against the chosen model on the profiled grid")
            .AddColumns("operator", "chosen", "temperature", "max |surrogate/model − 1|", "min slope µs/token", "rises where measured rises");
        foreach (var o in fit.Operators)
        {
            checks.AddRow(TerminalText.Escape(o.Key.Name), TerminalText.Escape(o.Choice.Regressor), string.Create(C, $"{o.Check.Temperature:0.###}"),
                string.Create(C, $"{o.Check.MaxDeviation:P2}"), string.Create(C, $"{o.Check.MinSlopeUsPerToken:0.####}"),
                string.Create(C, $"{o.Check.MonotoneKept}/{o.Check.MonotoneIntervals}"));
        }
        AnsiConsole.Write(checks);
        foreach (var o in fit.Operators)
            AnsiConsole.MarkupLine($"[bold]{TerminalText.Escape(o.Key.Name)}[/] → {TerminalText.Escape(o.Choice.Regressor)}: {TerminalText.Escape(o.Choice.Reason)}");
        foreach (var c in document.ModelCalibrations)
            AnsiConsole.MarkupLine(TerminalText.Escape(string.Create(C, $"calibration {c.Preset} at {c.Tokens} tokens: measured {c.MeasuredMs:0.000} ms, operator sum {c.PredictedMs:0.000} ms, factor {c.Factor:0.000}")));
        AnsiConsole.MarkupLine($"surrogate written to [bold]{TerminalText.Escape(target)}[/]");
        foreach (var png in pngs) AnsiConsole.MarkupLine($"plot: {TerminalText.Escape(png)}");
    }

    public static object Json(string target, SurrogateDocument document, IReadOnlyList<string> pngs) => new
    {
        surrogate = target,
        profile = document.Profile.Path,
        profileHash = document.Profile.ContentHash,
        models = document.Models.Select(m => new { key = m.Key.Name, regressor = m.Regressor, reason = m.Reason, check = m.Check }),
        calibrations = document.ModelCalibrations,
        accuracy = document.Accuracy,
        plots = pngs,
    };

    private static string[] Cells(AccuracyMetrics? m) => m is null
        ? ["", "", "", "", ""]
        : [m.Cases.ToString(C), string.Create(C, $"{m.Within5:P0}"), string.Create(C, $"{m.Within10:P0}"), string.Create(C, $"{m.Rmspe:P1}"), string.Create(C, $"{m.Mape:P1}")];
}
