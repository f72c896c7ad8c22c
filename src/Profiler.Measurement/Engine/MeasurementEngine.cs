using System.Text.Json;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Measures cases in interleaved rounds: each round gives every open case one short burst, with the sentinel timed
/// at every round boundary, so slow drift of a shared machine spreads over all cases instead of landing on a few.
/// A case ends when the confidence interval of its <see cref="LatencyEstimate"/> is within the target. All timing
/// happens on the calling thread. Every burst is committed to the raw store before the next starts; a run started on
/// a store that already holds bursts continues where it stopped.
/// </summary>
public sealed class MeasurementEngine
{
    private const string CeilingsKey = "ceilings";
    private const int SentinelIterations = 10;
    private static readonly Latency SentinelWarmup = Latency.FromMilliseconds(20);
    private readonly IBackend backend;
    private readonly EngineSettings settings;
    private readonly IClock clock;
    private readonly BurstTimer timer;

    /// <summary>Creates an engine for a backend.</summary>
    public MeasurementEngine(IBackend backend, EngineSettings settings, IClock? clock = null)
    {
        this.backend = backend;
        this.settings = settings.Validated();
        this.clock = clock ?? StopwatchClock.Instance;
        timer = new BurstTimer(this.settings, this.clock);
    }

    /// <summary>Measures every case (continuing whatever <paramref name="store"/> already holds) and summarises.</summary>
    public MeasurementRun Run(IReadOnlyList<OperatorCase> cases, RawStore store, Action<EngineProgress>? progress = null,
        CancellationToken cancel = default)
    {
        if (cases.Select(c => c.Key).Distinct().Count() != cases.Count)
            throw new InputException("the plan lists a case twice");
        long start = clock.Now();
        using var runners = new RunnerCache(backend, settings.Seed);
        // The first work after start-up runs slow (thread pool, allocator, CPU clock); spend it on nothing recorded.
        timer.Measure(runners.Sentinel(settings.SentinelSize), SentinelIterations, SentinelWarmup);
        var ceilings = LoadOrMeasureCeilings(store);
        var stored = store.LoadCases();
        var states = cases.Select(c => CaseState.From(c, stored.GetValueOrDefault(c.Key))).ToList();
        bool complete = true;

        while (states.Any(s => !s.Done))
        {
            int round = states.Where(s => !s.Done).Min(s => s.Bursts.Count);
            if (OverBudget(start) || cancel.IsCancellationRequested) { complete = false; break; }
            EnsureSentinel(store, round, runners);
            foreach (var state in states.Where(s => !s.Done && s.Bursts.Count == round))
            {
                if (OverBudget(start) || cancel.IsCancellationRequested) { complete = false; break; }
                MeasureBurst(state, round, runners.Get(state.Case), store);
                progress?.Invoke(new EngineProgress(state.Case, round, states.Count(s => s.Done), states.Count, Fraction(states)));
            }
            if (!complete) break;
        }
        if (complete)
            EnsureSentinel(store, states.Count == 0 ? 0 : states.Max(s => s.Bursts.Count), runners);

        var measuredStates = states.Where(s => s.Bursts.Count > 0).ToList();
        var drift = DriftCorrection.Compute(store.LoadSentinels(), $"matmul {settings.SentinelSize}x{settings.SentinelSize}x{settings.SentinelSize} float32",
            measuredStates.Select(s => (IReadOnlyList<Burst>)s.Bursts).ToList(), settings.CorrectDrift);
        var measured = measuredStates.Select(s => Summarise(s, drift, runners)).ToList();
        return new MeasurementRun(measured, drift, ceilings, complete, new Latency((clock.Now() - start) * 1e9 / clock.TicksPerSecond));
    }

    private void MeasureBurst(CaseState state, int round, ICaseRunner runner, RawStore store)
    {
        bool first = state.Invocations == 0;
        int pilot = timer.WarmUp(runner, pilot: first);
        if (first) state.Invocations = pilot;
        int iterations = Math.Min(settings.IterationsPerBurst, settings.MaxIterations - state.Iterations);
        var samples = timer.Time(runner, state.Invocations, iterations);
        state.Bursts.Add(new Burst(round, samples));

        var all = state.Bursts.SelectMany(b => b.Samples).ToList();
        var estimate = LatencyEstimate.FromNanoseconds(all);
        double timedSeconds = all.Sum() * state.Invocations / 1e9;
        state.Converged = all.Count >= settings.MinIterations && state.Bursts.Count >= settings.MinRounds
            && estimate.RelativeHalfWidth <= settings.TargetRelativeCi;
        state.Done = state.Converged || all.Count >= settings.MaxIterations || timedSeconds >= settings.MaxPerCase.Seconds;
        store.CommitBurst(state.Case.Key, round, state.Invocations, samples, state.Done, state.Converged);
    }

    private void EnsureSentinel(RawStore store, int boundary, RunnerCache runners)
    {
        if (store.LoadSentinels().ContainsKey(boundary)) return;
        var samples = timer.Measure(runners.Sentinel(settings.SentinelSize), SentinelIterations, SentinelWarmup);
        store.CommitSentinel(boundary, samples);
    }

    private Ceilings LoadOrMeasureCeilings(RawStore store)
    {
        var saved = store.GetMeta(CeilingsKey);
        if (saved is not null) return JsonSerializer.Deserialize<Ceilings>(saved)!;
        var ceilings = CeilingProbe.Measure(backend, timer, settings.Seed);
        store.SetMeta(CeilingsKey, JsonSerializer.Serialize(ceilings));
        return ceilings;
    }

    private static MeasuredCase Summarise(CaseState state, DriftResult drift, RunnerCache runners)
    {
        var raw = state.Bursts.SelectMany(b => b.Samples).ToList();
        var used = drift.Applied ? state.Bursts.SelectMany(b => drift.Corrected(b)).ToList() : raw;
        var (flops, bytes) = runners.Costs(state.Case);
        return new MeasuredCase(state.Case, LatencyEstimate.FromNanoseconds(used), SampleStatistics.FromNanoseconds(used),
            SampleStatistics.FromNanoseconds(raw).Median, state.Invocations, state.Converged, flops, bytes, state.Bursts.ToList());
    }

    private bool OverBudget(long start) =>
        settings.Budget is { } budget && (clock.Now() - start) / clock.TicksPerSecond >= budget.Seconds;

    private double Fraction(List<CaseState> states)
    {
        if (states.Count == 0) return 1;
        // A case counts fully when done; until then by its share of the most iterations it can get (pessimistic,
        // but it never stalls: a case that converges early jumps to done).
        double sum = states.Sum(s => s.Done ? 1.0 : (double)s.Iterations / settings.MaxIterations);
        return sum / states.Count;
    }

    private sealed class CaseState(OperatorCase operatorCase)
    {
        public OperatorCase Case { get; } = operatorCase;
        public List<Burst> Bursts { get; } = [];
        public int Invocations { get; set; }
        public bool Done { get; set; }
        public bool Converged { get; set; }
        public int Iterations => Bursts.Sum(b => b.Samples.Count);

        public static CaseState From(OperatorCase c, StoredCase? stored)
        {
            var state = new CaseState(c);
            if (stored is null) return state;
            state.Bursts.AddRange(stored.Bursts);
            state.Invocations = stored.Invocations;
            state.Done = stored.Done;
            state.Converged = stored.Converged;
            return state;
        }
    }
}
