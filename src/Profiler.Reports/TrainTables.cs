using System.Globalization;
using System.Text.Json;
using Profiler.Tasks.Training;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>What <c>train</c> prints: progress lines and where the run stands.</summary>
public static class TrainTables
{
    /// <summary>One progress line.</summary>
    public static string Describe(TrainingProgress p)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.Steps} · loss {p.Loss:F3} · train {p.Recent.Accuracy:P0}");
        if (p.Validation is { } v) text += string.Create(CultureInfo.InvariantCulture, $" · validation {v.Accuracy:P1}");
        return text;
    }

    /// <summary>Where the run stands: JSON, or the validation table and a line.</summary>
    public static void Report(string folder, Trainer trainer, TrainingProgress last, bool json)
    {
        if (json)
        {
            var output = new
            {
                run = folder,
                step = last.Step,
                steps = last.Steps,
                trainingSeconds = Math.Round(last.Seconds, 1),
                best = trainer.BestPath,
                validation = last.Validation is { } v ? AccuracyJson.Of(v) : null,
            };
            Console.WriteLine(JsonSerializer.Serialize(output, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            return;
        }
        var console = ProgressDisplay.Error;
        if (last.Validation is { } validation) console.Write(AccuracyTable.Of("validation", validation));
        console.MarkupLine(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{last.Step}/{last.Steps} steps in {TimeSpan.FromSeconds(last.Seconds):hh\\:mm\\:ss} of training; best checkpoint: {trainer.BestPath}; log: {Path.Combine(folder, "log.csv")}")));
    }
}
