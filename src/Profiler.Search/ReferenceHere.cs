using System.Diagnostics;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Profiles;

namespace Profiler.Search;

/// <summary>The reference suite run on this machine for a profiled one, and the comparison of the two.</summary>
/// <param name="Here">This machine's fingerprint as the suite ran (null when the backend could not be opened).</param>
/// <param name="Suite">The suite as run here (null when it could not run).</param>
/// <param name="Comparison">The factors, differences and verdict.</param>
/// <param name="Elapsed">Wall time of opening the backend and running the suite.</param>
public sealed record ReferenceHere(Fingerprint? Here, ReferenceSuite? Suite, ReferenceComparison Comparison, Latency Elapsed)
{
    /// <summary>
    /// Opens <paramref name="there"/>'s backend and device here with its thread count (at most this machine's
    /// logical cores), runs the reference suite and compares it with <paramref name="thereSuite"/>. A backend or
    /// device this machine lacks is a verdict (does not apply), not an error. Torch's thread setting is put back.
    /// </summary>
    public static ReferenceHere Measure(Fingerprint there, ReferenceSuite? thereSuite)
    {
        var clock = Stopwatch.StartNew();
        int threads = Math.Min(there.Threads, Environment.ProcessorCount);
        int torchThreads = TorchSharp.torch.get_num_threads();
        try
        {
            using var backend = BackendFactory.Open(there.Backend, there.Device, threads);
            var here = BackendFingerprint.Of(backend, HostInfo.Collect());
            var suite = ReferenceProbe.Measure(backend).ToSuite();
            return new(here, suite, ReferenceComparison.Compare(there, thereSuite, here, suite), Latency.FromTimeSpan(clock.Elapsed));
        }
        catch (InputException e)
        {
            var reason = $"the profile's {there.Backend} backend on {there.Device} cannot run here ({e.Message})";
            return new(null, null, ReferenceComparison.Unavailable(there, thereSuite, PrintableText.Line(reason)), Latency.FromTimeSpan(clock.Elapsed));
        }
        finally
        {
            TorchSharp.torch.set_num_threads(torchThreads);
        }
    }
}
