using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;

namespace Profiler.Tests.Measurement;

public sealed class EngineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("profiler-engine-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly ModelShape Shape = new(64, 4, 256, 1);

    private static List<OperatorCase> Cases(params int[] tokens) =>
        tokens.SelectMany(n => new[] { OperatorCase.Dense(OperatorKind.Mlp, n, Shape), OperatorCase.Dense(OperatorKind.Attention, n, Shape) }).ToList();

    private static Latency TrueLatency(OperatorCase c) =>
        Latency.FromMicroseconds(3 + 0.25 * c.TokensIn * (c.Operator == OperatorKind.Attention ? 2 : 1));

    private RawStore NewStore(string name = "run") => RawStore.Open(Path.Combine(directory, name + ".raw.sqlite"));

    [Fact]
    public void Noise_free_cases_converge_at_the_minimum_and_report_the_true_latency()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, TrueLatency);
        using var store = NewStore();
        var settings = new EngineSettings();
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(16, 64, 200), store);

        Assert.True(run.Complete);
        Assert.All(run.Cases, m =>
        {
            Assert.True(m.Converged);
            Assert.Equal(Math.Max(settings.MinIterations, settings.MinRounds * settings.IterationsPerBurst), m.Samples.Count);
            Assert.Equal(settings.MinRounds, m.Rounds);
            Assert.Equal(TrueLatency(m.Case).Nanoseconds, m.Statistics.Median.Nanoseconds, 1e-6 * TrueLatency(m.Case).Nanoseconds);
        });
    }

    [Fact]
    public void A_case_that_never_meets_the_CI_target_stops_at_the_maximum_unconverged()
    {
        var clock = new FakeClock();
        int seed = Random.Shared.Next();
        using var backend = new FakeBackend(clock, TrueLatency, noise: 0.8, seed: seed);
        using var store = NewStore();
        var settings = new EngineSettings { TargetRelativeCi = 0.001, MaxIterations = 30 };
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(32), store);

        Assert.All(run.Cases, m =>
        {
            Assert.False(m.Converged, $"seed {seed}");
            Assert.Equal(30, m.Samples.Count);
        });
    }

    [Fact]
    public void A_case_that_never_converges_gets_as_many_bursts_as_rounds_allow()
    {
        var clock = new FakeClock();
        int seed = Random.Shared.Next(), rounds = Random.Shared.Next(3, 25);
        using var backend = new FakeBackend(clock, TrueLatency, noise: 0.8, seed: seed);
        using var store = NewStore();
        var settings = new EngineSettings { TargetRelativeCi = 0.001 }.WithRounds(rounds);
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(32, 64), store);

        Assert.All(run.Cases, m =>
        {
            Assert.Equal(rounds, m.Rounds);
            Assert.Equal(rounds * settings.IterationsPerBurst, m.Samples.Count);
        });
        Assert.Throws<InputException>(() => new EngineSettings().WithRounds(settings.MinRounds - 1));
    }

    [Fact]
    public void Noisy_cases_reach_the_CI_target_and_land_near_the_true_latency()
    {
        var clock = new FakeClock();
        int seed = Random.Shared.Next();
        using var backend = new FakeBackend(clock, TrueLatency, noise: 0.05, seed: seed);
        using var store = NewStore();
        var run = new MeasurementEngine(backend, new EngineSettings(), clock).Run(Cases(16, 128), store);
        Assert.All(run.Cases, m =>
        {
            Assert.True(m.Statistics.RelativeCiHalfWidth <= 0.02, $"seed {seed}: {m.Case.Key} CI {m.Statistics.RelativeCiHalfWidth}");
            Assert.InRange(m.Statistics.Median.Nanoseconds / TrueLatency(m.Case).Nanoseconds, 0.97, 1.03);
        });
    }

    [Fact]
    public void Bursts_are_interleaved_across_rounds_and_every_burst_is_in_the_store()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, TrueLatency);
        using var store = NewStore();
        var cases = Cases(16, 32, 48);
        var seen = new List<(string Key, int Round)>();
        new MeasurementEngine(backend, new EngineSettings(), clock).Run(cases, store, p => seen.Add((p.Current!.Key, p.Round)));

        // Round r of every case comes before round r+1 of any case.
        var rounds = seen.Select(s => s.Round).ToList();
        Assert.Equal(rounds.Order().ToList(), rounds);
        var stored = store.LoadCases();
        Assert.Equal(cases.Count, stored.Count);
        Assert.All(stored.Values, s => Assert.Equal([0, 1, 2], s.Bursts.Select(b => b.Round)));
        Assert.Equal(4, store.LoadSentinels().Count);
    }

    [Fact]
    public void Round_factors_follow_the_sentinel_between_its_boundaries()
    {
        var sentinels = new SortedDictionary<int, List<double>>
        {
            [0] = [100, 101, 99], [1] = [100, 100, 100], [2] = [150, 149, 151], [3] = [150, 150, 150],
        };
        var drift = DriftCorrection.Compute(sentinels, "test");
        Assert.Equal(4, drift.BoundaryMedians.Count);
        Assert.Equal(new[] { 0.8, Math.Round(Math.Sqrt(100 * 150) / 125, 9), 1.2 }, drift.RoundFactors.Select(f => Math.Round(f, 9)));
    }

    [Fact]
    public void Exact_rounds_measure_every_case_in_every_round_and_pairing_them_finds_the_true_share_under_drift()
    {
        var clock = new FakeClock();
        int seed = Random.Shared.Next(), rounds = new Random(seed).Next(10, 30);
        // The machine slows to a fraction of its speed during the run, and no case stops early.
        using var backend = new FakeBackend(clock, TrueLatency) { Drift = seconds => 1 + 2 * seconds };
        using var store = NewStore();
        var cases = Cases(16, 200);
        var run = new MeasurementEngine(backend, new EngineSettings { MaxPerCase = Latency.FromSeconds(1e4) }.WithExactRounds(rounds), clock).Run(cases, store);

        Assert.All(run.Cases, m => Assert.Equal(Enumerable.Range(0, rounds), m.Bursts.Select(b => b.Round)));
        // Two cases measured one after the other in each round: the MLP and the attention at 200 tokens.
        var (mlp, attention) = (run.Cases[2], run.Cases[3]);
        double truth = TrueLatency(mlp.Case).Nanoseconds / TrueLatency(attention.Case).Nanoseconds;
        var share = RoundPairing.Share(mlp.Bursts, attention.Bursts);
        Assert.True(Math.Abs(share.Median / truth - 1) < 0.01, $"seed {seed}: paired share {share.Median} against {truth}");
        Assert.Equal(rounds, share.Rounds);
        Assert.True(run.Drift.RoundFactors.Max() > 1.2 * run.Drift.RoundFactors.Min(), $"seed {seed}: the drift was too small to test anything");
    }

    [Fact]
    public void Cases_that_share_no_round_cannot_be_paired() =>
        Assert.Throws<InputException>(() => RoundPairing.Share([new Burst(0, [1.0])], [new Burst(1, [1.0])]));

    [Fact]
    public void Corrected_samples_are_the_timed_samples_divided_by_their_round_factor()
    {
        var clock = new FakeClock();
        // The machine slows down as the run goes on; the sentinel sees it too.
        using var backend = new FakeBackend(clock, TrueLatency) { Drift = seconds => 1 + 0.2 * seconds };
        using var store = NewStore();
        var run = new MeasurementEngine(backend, new EngineSettings(), clock).Run(Cases(16, 64, 128, 256), store);

        Assert.True(run.Drift.Applied);
        Assert.True(run.Drift.RoundFactors[^1] > run.Drift.RoundFactors[0]);
        var stored = store.LoadCases();
        foreach (var m in run.Cases)
        {
            var corrected = stored[m.Case.Key].Bursts.SelectMany(b => b.Samples.Select(s => s / run.Drift.RoundFactors[b.Round])).ToList();
            Assert.Equal(SampleStatistics.FromNanoseconds(corrected).Median, m.Statistics.Median);
        }
    }

    [Fact]
    public void A_run_stopped_by_its_budget_resumes_and_measures_each_burst_once()
    {
        var cases = Cases(16, 64, 128);
        var settings = new EngineSettings();

        var referenceClock = new FakeClock();
        using var referenceBackend = new FakeBackend(referenceClock, TrueLatency);
        using var referenceStore = NewStore("reference");
        var reference = new MeasurementEngine(referenceBackend, settings, referenceClock).Run(cases, referenceStore);

        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, TrueLatency);
        using (var store = NewStore("stopped"))
        {
            // A budget that runs out part-way, after the ceilings and most bursts.
            var partial = new MeasurementEngine(backend, settings with { Budget = reference.Elapsed * 0.9 }, clock).Run(cases, store);
            Assert.False(partial.Complete);
            Assert.True(store.LoadCases().Count > 0);
        }
        using (var store = NewStore("stopped"))
        {
            int storedBefore = store.LoadCases().Values.Sum(s => s.Bursts.Count);
            var resumed = new MeasurementEngine(backend, settings, clock).Run(cases, store);
            Assert.True(resumed.Complete);
            Assert.Equal(reference.Cases.Select(c => c.Samples.Count), resumed.Cases.Select(c => c.Samples.Count));
            Assert.Equal(reference.Cases.Select(c => c.Statistics.Median), resumed.Cases.Select(c => c.Statistics.Median));
            Assert.True(storedBefore > 0);
        }
    }
}
