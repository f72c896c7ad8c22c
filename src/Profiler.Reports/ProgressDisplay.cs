using Profiler.Core;
using Profiler.Measurement.Engine;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>
/// Progress on stderr (stdout stays clean for --json): a Spectre.Console bar with the case being measured and an
/// ETA on a terminal, a line every twentieth of the run otherwise. The measuring itself stays on the calling thread.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>A console that writes to stderr.</summary>
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>The profiling bar: round, cases done and the case being measured.</summary>
    public static T Run<T>(int caseCount, Func<Action<EngineProgress>, T> work) =>
        Track($"profiling {caseCount} cases", report => work(p =>
            report(p.Fraction, $"round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} done · {p.Current?.Key}")));

    /// <summary>
    /// A bar for any long job: <paramref name="work"/> reports (fraction done, description). Off a terminal, a line
    /// every twentieth of the job. A fraction of NaN is a message about the job's phase: it changes the description
    /// and leaves the bar where it is, and off a terminal it is always printed. The work stays on the calling thread.
    /// </summary>
    public static T Track<T>(string title, Func<Action<double, string>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            int lastStep = -1;
            return work((fraction, description) =>
            {
                if (double.IsNaN(fraction))
                {
                    Console.Error.WriteLine($"      {description}");
                    return;
                }
                int step = (int)(fraction * 20);
                if (step == lastStep) return;
                lastStep = step;
                Console.Error.WriteLine($"{fraction:P0}  {description}");
            });
        }
        var progress = Error.Progress();
        progress.RefreshRate = TimeSpan.FromMilliseconds(400);
        return progress
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(TerminalText.Escape(title), maxValue: 1000);
                return work((fraction, description) =>
                {
                    if (!double.IsNaN(fraction)) task.Value = fraction * 1000;
                    task.Description = TerminalText.Escape(description);
                });
            });
    }
}
