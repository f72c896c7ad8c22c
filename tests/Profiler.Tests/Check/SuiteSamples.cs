using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Check;

/// <summary>
/// Random but valid machine details and reference suites, and schema-3 documents that carry them. Same seed, same
/// values; put the seed in assertion messages.
/// </summary>
public static class SuiteSamples
{
    /// <summary>A seed for a test that draws fresh inputs each run (PROFILER_TEST_SEED replays one).</summary>
    public static int FreshSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("PROFILER_TEST_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next(1, 1_000_000);

    /// <summary>Random details: texts of 1 to <see cref="MachineDetails.MaxTextLength"/> characters, some of them non-ASCII, and a random non-empty subset of the flags.</summary>
    public static MachineDetails Machine(Random rng) => new()
    {
        CpuVendor = Text(rng), CpuFamily = Text(rng), CpuModelNumber = Text(rng), CpuStepping = Text(rng),
        CpuFlags = Flags(rng),
        L1dCache = Text(rng), L2Cache = Text(rng), L3Cache = Text(rng), BaseMhz = Text(rng), CurrentMhz = Text(rng),
        Hypervisor = Text(rng), KernelRelease = Text(rng), TieredCompilation = Text(rng), TieredPgo = Text(rng),
        ServerGc = Text(rng), ConcurrentGc = Text(rng), ProjectVersion = Text(rng),
    };

    /// <summary>
    /// A random suite: every case measured from <paramref name="samples"/> random samples spanning nanoseconds to
    /// seconds, except (when <paramref name="withFailure"/>) one that failed.
    /// </summary>
    public static ReferenceSuite Suite(Random rng, bool withFailure = false, int samples = 60)
    {
        var failed = withFailure ? ReferenceCaseNames.All[rng.Next(3)] : null;
        return new ReferenceSuite
        {
            Cases = ReferenceCaseNames.All.Where(n => n != failed).Select(n => Case(rng, n, samples)).ToList(),
            Failures = failed is null ? [] : [new ReferenceFailure(failed, "NotSupportedException: " + Text(rng))],
        };
    }

    /// <summary>A measured case from random samples around a random typical latency.</summary>
    public static ReferenceCase Case(Random rng, string name, int samples = 60)
    {
        double typical = 10 * Math.Pow(1e8, rng.NextDouble());
        var drawn = Enumerable.Range(0, samples).Select(_ => typical * (1 + 0.3 * rng.NextDouble())).ToArray();
        return new ReferenceCase(name, $"{name} case " + Text(rng), LatencyEstimate.FromNanoseconds(drawn), rng.Next(1, 5000),
            rng.NextDouble() * 1e9, rng.NextDouble() * 1e8);
    }

    /// <summary>A valid schema-3 document with random machine details and a random suite.</summary>
    public static ProfileDocument Document(int seed, bool withFailure = false)
    {
        var rng = new Random(seed ^ 0x5EED);
        var doc = SampleProfiles.Random(seed);
        return (doc with
        {
            Fingerprint = doc.Fingerprint with { Machine = Machine(rng) },
            Reference = Suite(rng, withFailure),
        }).WithComputedHash();
    }

    // A random non-empty subset of the recorded flags, in random order.
    private static List<string> Flags(Random rng)
    {
        var flags = MachineDetails.KernelFlags.Where(_ => rng.Next(2) == 0).OrderBy(_ => rng.Next()).ToList();
        return flags.Count > 0 ? flags : [MachineDetails.KernelFlags[rng.Next(MachineDetails.KernelFlags.Count)]];
    }

    private static string Text(Random rng)
    {
        const string alphabet = "abcXYZ 0123456789._-()µ×é";
        int length = rng.Next(4) == 0 ? rng.Next(1, MachineDetails.MaxTextLength + 1) : rng.Next(1, 24);
        var text = new string(Enumerable.Range(0, length).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray()).Trim();
        return text.Length == 0 ? "x" : text;
    }
}
