using System.CommandLine;
using System.Diagnostics;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Reduction;
using Profiler.Profiles;
using Profiler.Measurement.Session;
using Profiler.Search;
using Profiler.Tasks.Network;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>journey</c>: the whole path on the embedded default, for a first run on a new machine: profile this CPU on
/// <c>tiny</c> with a short grid (aligned anchors included), fit the surrogate, search a plan for the shipped model at
/// the target, verify it and the baselines on this CPU, and print the table.
/// </summary>
internal static class JourneyCommand
{
    public static Command Create()
    {
        var folder = new Option<string>("--dir") { Description = "Folder for the profile, surrogate and search result", DefaultValueFactory = _ => Path.Combine("runs", "journey") };
        var target = new Option<double>("--target") { Description = "Latency budget as a fraction of the unreduced model's", DefaultValueFactory = _ => 0.6 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var count = new Option<int>("--count") { Description = "Test questions per plan, the same for every plan (4,000: a drop of the searched plan is then known to about ±0.4 points)", DefaultValueFactory = _ => 4000 };
        var json = CommonOptions.Json();
        var command = new Command("journey", "Profile this CPU on tiny, fit, search a plan for the shipped model and verify it here") { folder, target, threads, count, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var clock = Stopwatch.StartNew();
            var journey = new Journey(result.GetValue(folder)!, result.GetValue(target), result.GetValue(threads), result.GetValue(count)).Validated();
            Console.Error.WriteLine($"1/3 profiling this CPU on tiny ({journey.ProfilePath})");
            int code = ProfileRun.Execute(new ProfileRequest { Backend = BackendFactory.Torch, Device = "cpu", Threads = journey.ThreadCount, Quiet = true, Settings = journey.Profile });
            if (code != CommandLine.Success) return code;
            Console.Error.WriteLine($"2/3 fitting the latency surrogate ({journey.SurrogatePath})");
            journey.Fit(Console.Error.WriteLine);
            Console.Error.WriteLine($"3/3 searching a plan at {journey.Target:P0} of the unreduced latency and verifying it ({journey.SearchPath})");
            using var session = SearchSession.Open(journey.Search, Console.Error.WriteLine);
            SearchOutput.Write(journey.SearchPath, [SearchCommand.Run(session, session.Requests[0])], SearchCost.Latency, result.GetValue(json));
            Console.Error.WriteLine($"journey done in {clock.Elapsed:mm\\:ss}");
            return CommandLine.Success;
        }));
        return command;
    }
}
