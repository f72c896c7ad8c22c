using System.Diagnostics;

namespace Profiler.Tests.Cli;

/// <summary>Runs the real command-line program in its own process, as a user would.</summary>
public static class CliProcess
{
    /// <summary>What a run printed and returned.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <c>profiler</c> with the given arguments and waits for it.</summary>
    public static Result Run(params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "profiler.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("PROFILER_DEBUG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"profiler {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>True when the text looks like a .NET stack trace.</summary>
    public static bool HasStackTrace(string text) =>
        text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception:", StringComparison.Ordinal) && text.Contains(" --->", StringComparison.Ordinal);
}
