using Spectre.Console;

namespace Profiler.Reports;

/// <summary>The consoles reports write to: a file or a pipe has no width, so wide tables get room there.</summary>
public static class ReportConsole
{
    /// <summary>A console on standard output that is at least 160 columns wide when redirected (Spectre.Console assumes 80), so a saved table keeps one row per case.</summary>
    public static IAnsiConsole Wide()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 160);
        return console;
    }

    /// <summary>Lets the default console's wide tables keep their rows when standard output is a file or a pipe.</summary>
    public static void WideWhenRedirected()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 200);
    }
}
