using System.Globalization;
using System.Runtime.InteropServices;
using Profiler.Core;
using Profiler.Measurement.Backends;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Runs the reference suite (<see cref="ReferenceCaseNames"/>) through a backend with the engine's own
/// <see cref="BurstTimer"/>: the three cases measured in interleaved bursts (so drift of a shared machine hits each
/// alike), each burst with fresh inputs and warm-up, and every case summarised by the profiler's estimator
/// (<see cref="LatencyEstimate"/>: the p10 with its distribution-free 95% interval). With the default settings each
/// case gets 144 samples of about a millisecond, a second or two in all on a CPU; on a machine so busy that the rounds
/// take longer than <see cref="MaxTime"/>, it stops there, once every case has the samples a bounded interval needs.
/// All timing is on the calling thread.
/// A case the backend cannot prepare or run is recorded as failed with its reason, never given a number.
/// </summary>
public static class ReferenceProbe
{
    /// <summary>Elements of the per-call case: one.</summary>
    public const long CallElements = 1;

    /// <summary>Side of the compute case's square matrices.</summary>
    public const int ComputeSize = 256;

    /// <summary>Bytes the memory case copies: 16 MiB, more than any level-2 cache.</summary>
    public const long MemoryBytes = 16L << 20;

    /// <summary>Bursts per case.</summary>
    public const int DefaultRounds = 24;

    /// <summary>Time after which no further round starts (once every case has <see cref="MinimumSamples"/>).</summary>
    public static Latency MaxTime { get; } = Latency.FromSeconds(8);

    /// <summary>Samples per burst.</summary>
    public const int DefaultIterationsPerBurst = 6;

    private static readonly Latency FirstWarmup = Latency.FromMilliseconds(20);

    /// <summary>The seed of the suite's inputs and weights: fixed, so that every machine runs the same suite.</summary>
    public const int Seed = 1;

    /// <summary>
    /// Measures the suite on <paramref name="backend"/>. <paramref name="rounds"/> × <paramref name="iterationsPerBurst"/>
    /// samples per case (at least the 36 a bounded interval needs).
    /// </summary>
    public static ReferenceMeasurement Measure(IBackend backend, IClock? clock = null, int rounds = DefaultRounds,
        int iterationsPerBurst = DefaultIterationsPerBurst)
    {
        if (rounds < 1 || iterationsPerBurst < 1 || rounds * iterationsPerBurst < MinimumSamples)
            throw new ArgumentOutOfRangeException(nameof(rounds), $"the suite needs at least {MinimumSamples} samples per case, got {rounds} × {iterationsPerBurst}");
        var time = clock ?? StopwatchClock.Instance;
        var timer = new BurstTimer(new EngineSettings(), time);
        long start = time.Now();
        var states = new List<CaseState>();
        var failures = new List<ReferenceFailure>();
        try
        {
            foreach (var (name, description, prepare) in Cases(backend))
            {
                var state = Prepare(name, description, prepare, timer, failures);
                if (state is not null) states.Add(state);
            }
            for (int round = 0; round < rounds; round++)
            {
                foreach (var state in states.Where(s => s.Failure is null).ToList())
                    Burst(state, timer, iterationsPerBurst);
                bool enough = states.All(s => s.Failure is not null || s.Samples.Count >= MinimumSamples);
                if (enough && (time.Now() - start) / time.TicksPerSecond >= MaxTime.Seconds) break;
            }
            foreach (var state in states.Where(s => s.Failure is not null)) failures.Add(new ReferenceFailure(state.Name, state.Failure!));
            var measured = states.Where(s => s.Failure is null)
                .Select(s => new ReferenceSamples(s.Name, s.Description, s.Invocations, s.Runner.Flops, s.Runner.Bytes, s.Samples.ToArray()))
                .ToList();
            return new ReferenceMeasurement(measured, failures.OrderBy(f => Order(f.Name)).ToList());
        }
        finally
        {
            foreach (var state in states) state.Runner.Dispose();
        }
    }

    /// <summary>Fewest samples a case is measured with: what a bounded 95% interval of the p10 needs.</summary>
    public static int MinimumSamples { get; } =
        Enumerable.Range(1, 1000).First(n => QuantileInterval.Ranks(n, LatencyEstimate.Quantile, LatencyEstimate.ConfidenceLevel) is not null);

    /// <summary>What each case runs on <paramref name="backend"/>, in words, by case name (what a suite records).</summary>
    public static IReadOnlyDictionary<string, string> Descriptions(IBackend backend) =>
        Cases(backend).ToDictionary(c => c.Name, c => c.Description, StringComparer.Ordinal);

    private static IEnumerable<(string Name, string Description, Func<ICaseRunner> Prepare)> Cases(IBackend backend) =>
    [
        (ReferenceCaseNames.Call, backend.DescribeAdd(CallElements), () => backend.PrepareAdd(CallElements, Seed)),
        (ReferenceCaseNames.Compute, $"matmul {ComputeSize}x{ComputeSize} by {ComputeSize}x{ComputeSize} float32", () => backend.PrepareMatmul(ComputeSize, Seed)),
        (ReferenceCaseNames.Memory, string.Create(CultureInfo.InvariantCulture, $"float32 copy of {MemoryBytes >> 20} MiB (read + write)"), () => backend.PrepareCopy(MemoryBytes, Seed)),
    ];

    private static int Order(string name) => ReferenceCaseNames.All.ToList().IndexOf(name);

    // Prepares the case and runs its first warm-up, longer than a burst's (the first work after start-up runs slow:
    // thread pool, allocator, CPU clock), and the pilot; a failure there is recorded and the case left out.
    private static CaseState? Prepare(string name, string description, Func<ICaseRunner> prepare, BurstTimer timer, List<ReferenceFailure> failures)
    {
        ICaseRunner? runner = null;
        try
        {
            runner = prepare();
            var state = new CaseState(name, description, runner);
            state.Invocations = timer.WarmUp(runner, pilot: true, FirstWarmup);
            return state;
        }
        catch (Exception e) when (IsBackendFailure(e))
        {
            runner?.Dispose();
            failures.Add(new ReferenceFailure(name, Reason(e)));
            return null;
        }
    }

    private static void Burst(CaseState state, BurstTimer timer, int iterations)
    {
        try
        {
            timer.WarmUp(state.Runner, pilot: false);
            state.Samples.AddRange(timer.Time(state.Runner, state.Invocations, iterations));
        }
        catch (Exception e) when (IsBackendFailure(e))
        {
            state.Failure = Reason(e);
        }
    }

    // What a backend throws when it cannot run a case (a missing kernel or provider, a device out of memory); a bug
    // in this code (null reference, bad argument) still surfaces.
    private static bool IsBackendFailure(Exception e) =>
        e is InputException or NotSupportedException or NotImplementedException or EntryPointNotFoundException
            or DllNotFoundException or ExternalException or InvalidOperationException
        || e.GetType().Namespace?.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal) == true;

    private static string Reason(Exception e)
    {
        var line = PrintableText.Line($"{e.GetType().Name}: {e.Message}");
        return line.Length <= ReferenceSuite.MaxTextLength ? line : line[..(ReferenceSuite.MaxTextLength - 1)] + "…";
    }

    private sealed class CaseState(string name, string description, ICaseRunner runner)
    {
        public string Name { get; } = name;
        public string Description { get; } = description;
        public ICaseRunner Runner { get; } = runner;
        public int Invocations { get; set; }
        public List<double> Samples { get; } = [];
        public string? Failure { get; set; }
    }
}

/// <summary>The samples of one reference case, nanoseconds per invocation, in the order they were timed.</summary>
/// <param name="Name">The case.</param>
/// <param name="Description">What ran.</param>
/// <param name="InvocationsPerIteration">Invocations per sample.</param>
/// <param name="Flops">FLOPs of one invocation.</param>
/// <param name="Bytes">Bytes of one invocation.</param>
/// <param name="SamplesNs">Nanoseconds per invocation, one per iteration.</param>
public sealed record ReferenceSamples(string Name, string Description, int InvocationsPerIteration, double Flops, double Bytes, double[] SamplesNs);

/// <summary>
/// The reference suite as timed: the raw samples of each case that ran (what a raw store keeps, so a resumed run
/// reuses them) and the failures. <see cref="ToSuite"/> summarises it with the profiler's estimator.
/// </summary>
/// <param name="Cases">Cases that ran.</param>
/// <param name="Failures">Cases that could not run.</param>
public sealed record ReferenceMeasurement(IReadOnlyList<ReferenceSamples> Cases, IReadOnlyList<ReferenceFailure> Failures)
{
    /// <summary>The suite with each case's <see cref="LatencyEstimate"/>.</summary>
    public ReferenceSuite ToSuite() => new()
    {
        Cases = Cases.Select(c => new ReferenceCase(c.Name, c.Description, LatencyEstimate.FromNanoseconds(c.SamplesNs),
            c.InvocationsPerIteration, c.Flops, c.Bytes)).ToList(),
        Failures = Failures,
    };
}
