using Profiler.Core;
using Profiler.Measurement.Engine;
using Spectre.Console;

namespace Profiler.Cli;

/// <summary>
/// Progress on stderr (stdout stays clean for --json): a Spectre.Console bar with the case being measured and an
/// ETA on a terminal, a line every tenth of the run otherwise. The measuring itself stays on the calling thread.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>A console that writes to stderr.</summary>
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static T Run<T>(int caseCount, Func<Action<EngineProgress>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            int lastTenth = -1;
            return work(p =>
            {
                int tenth = (int)(p.Fraction * 10);
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                Console.Error.WriteLine($"{p.Fraction:P0}  round {p.Round + 1}, {p.CasesDone}/{p.CaseCount} cases done, measuring {p.Current?.Key}");
            });
        }
        var progress = Error.Progress();
        // A slow refresh: the renderer thread shares the cores with what is being timed.
        progress.RefreshRate = TimeSpan.FromMilliseconds(400);
        return progress
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"profiling {caseCount} cases", maxValue: 1000);
                return work(p =>
                {
                    task.Value = p.Fraction * 1000;
                    task.Description = Markup.Escape($"round {p.Round + 1} · {p.CasesDone}/{p.CaseCount} done · {p.Current?.Key}");
                });
            });
    }

    /// <summary>
    /// A bar for any long job: <paramref name="work"/> reports (fraction done, description). Off a terminal, a line
    /// every twentieth of the job.
    /// </summary>
    public static T Track<T>(string title, Func<Action<double, string>, T> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            int lastStep = -1;
            return work((fraction, description) =>
            {
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
                var task = context.AddTask(Markup.Escape(title), maxValue: 1000);
                return work((fraction, description) =>
                {
                    task.Value = fraction * 1000;
                    task.Description = Markup.Escape(description);
                });
            });
    }
}
