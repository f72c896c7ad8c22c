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

        var (outcome, _) = Interrupt.Run(stop => ProgressDisplay.Run(session.Cases.Count, report => session.Measure(report, stop)));
        if (outcome.Stopped)
        {
            Console.Error.WriteLine($"stopped: every finished burst is kept in {outcome.StorePath}; run the same command with --resume to continue");
            return CommandLine.Interrupted;
        }
        if (!request.Quiet) ProfileTables.Outcome(outcome, request.Json, request.ShowTable, request.Settings.MaxCaseSeconds);
        return CommandLine.Success;
    }
}
