using System.Text.Json;
using Profiler.Measurement.Session;
using Profiler.Profiles;
using Profiler.Search;

namespace Profiler.Cli.Commands;

/// <summary>Carries out a profile request through <see cref="ProfileSession"/>, with a progress bar, Ctrl+C and a summary.</summary>
internal static class ProfileRun
{
    public static int Execute(ProfileRequest request)
    {
        using var backend = BackendFactory.Open(request.Backend, request.Device, request.Threads);
        Action<string>? say = request.Quiet || request.Json ? null : Console.Error.WriteLine;
        using var session = ProfileSession.Open(backend, request.Settings, say);

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        ProfileOutcome outcome;
        try
        {
            outcome = ProgressDisplay.Run(session.Cases.Count, report => session.Measure(report, cancel.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (outcome.Stopped)
        {
            Console.Error.WriteLine($"stopped: every finished burst is kept in {outcome.StorePath}; run the same command with --resume to continue");
            return CommandLine.Interrupted;
        }
        Report(request, outcome);
        return CommandLine.Success;
    }

    private static void Report(ProfileRequest request, ProfileOutcome outcome)
    {
        if (request.Quiet) return;
        var (document, run) = (outcome.Document!, outcome.Run);
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                profile = outcome.ProfilePath, cases = document.Cases.Count, converged = document.Cases.Count(c => c.Converged),
                complete = run.Complete, wallSeconds = run.Elapsed.Seconds, skipped = outcome.Skipped,
                matmulGflops = run.Ceilings.MatmulFlopsPerSecond / 1e9, memoryGBps = run.Ceilings.MemoryBytesPerSecond / 1e9,
            }));
            return;
        }
        ProfileTables.Summary(document, outcome.ProfilePath, run.Elapsed);
        if (outcome.Skipped.Count > 0)
            Console.Error.WriteLine($"note: {outcome.Skipped.Count} case(s) over --max-case-seconds {request.Settings.MaxCaseSeconds} were not measured: {string.Join("; ", outcome.Skipped)}");
        if (request.ShowTable) ProfileTables.Cases(document);
        if (!run.Complete)
            Console.Error.WriteLine("note: the budget ran out before every case converged; the profile says so (settings.complete = false)");
    }
}
