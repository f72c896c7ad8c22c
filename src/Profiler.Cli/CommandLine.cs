using System.CommandLine;
using Profiler.Cli.Commands;
using Profiler.Core;

namespace Profiler.Cli;

/// <summary>
/// The command tree and the exit-code contract: 0 success, 2 bad input (one line on stderr, no stack trace),
/// 1 internal error, 130 interrupted (everything measured so far is kept).
/// </summary>
public static class CommandLine
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;
    /// <summary>Exit code for an internal error.</summary>
    public const int InternalError = 1;
    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a run stopped by Ctrl+C.</summary>
    public const int Interrupted = 130;

    /// <summary>Parses and runs one command line; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Profiler: hardware-aware latency profiles for token reduction in transformers.");
        root.Subcommands.Add(ProfileCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ShowCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(FitCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PublishCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(CrossCommand.Create());
        root.Subcommands.Add(JourneyCommand.Create());

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message}");
            return BadInput;
        }
        return parsed.Invoke();
    }

    /// <summary>Runs a command body under the exit-code contract.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or FileNotFoundException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("PROFILER_DEBUG") is null)
        {
            Console.Error.WriteLine($"internal error: {OneLine(e.Message)} ({e.GetType().Name}; set PROFILER_DEBUG=1 for details)");
            return InternalError;
        }
    }

    private static string OneLine(string message) => PrintableText.Line(message);
}
