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

    /// <summary>Fewest samples whose order statistics bound the estimate's interval on both sides.</summary>
    private static int FewestBounded() =>
        Enumerable.Range(1, 1000).First(n => QuantileInterval.Ranks(n, LatencyEstimate.Quantile, LatencyEstimate.ConfidenceLevel) is not null);

    [Fact]
    public void Noise_free_cases_converge_as_soon_as_their_interval_is_bounded_and_report_the_true_latency()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, TrueLatency);
        using var store = NewStore();
        var settings = new EngineSettings();
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(16, 64, 200), store);

        // The first round at which the minimum rounds and iterations are met and the p10's interval has both ends.
        int rounds = Enumerable.Range(settings.MinRounds, 100).First(r =>
            r * settings.IterationsPerBurst >= Math.Max(settings.MinIterations, FewestBounded()));
        Assert.True(run.Complete);
        Assert.All(run.Cases, m =>
        {
            Assert.True(m.Converged);
            Assert.Equal(rounds, m.Rounds);
            Assert.Equal(rounds * settings.IterationsPerBurst, m.Samples.Count);
            Assert.Equal(TrueLatency(m.Case).Nanoseconds, m.Latency.Value.Nanoseconds, 1e-6 * TrueLatency(m.Case).Nanoseconds);
        });
    }

    private static double Neighbour(int seed, double seconds)
    {
        var window = new Random(HashCode.Combine(seed, (long)(seconds / 0.005)));
        return window.NextDouble() < 0.65 ? 1.1 + 0.4 * window.NextDouble() : 1.0;
    }

    [Fact]
    public void Under_one_sided_noise_the_stop_rule_ends_cases_early_and_the_estimate_stays_near_the_true_cost_where_the_median_does_not()
    {
        var clock = new FakeClock();
        int seed = Random.Shared.Next();
        // A neighbour busy in 65% of 5 ms windows, drawn at random, slows everything in them by 10–50%: noise that
        // only slows, and lasts longer than an iteration, as on a shared machine.
        using var backend = new FakeBackend(clock, TrueLatency) { Drift = seconds => Neighbour(seed, seconds) };
        using var store = NewStore();
        var settings = new EngineSettings().WithRounds(20);
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(16, 64, 128, 256), store);

        Assert.All(run.Cases, m =>
        {
            double truth = TrueLatency(m.Case).Nanoseconds;
            Assert.Equal(m.Converged, m.Latency.RelativeHalfWidth <= settings.TargetRelativeCi);
            if (!m.Converged) Assert.Equal(20, m.Rounds);
            // Converged, within the ±2% target of the true cost; unconverged, still nearer it than the median.
            Assert.InRange(m.Latency.Value.Nanoseconds / truth, 1.0, m.Converged ? 1.02 : 1.1);
        });
        // A case whose upper interval end keeps landing in busy windows runs to the maximum; most end early.
        Assert.True(run.Cases.Count(m => m.Converged) >= 3 * run.Cases.Count / 4, $"seed {seed}: {run.Cases.Count(m => m.Converged)} of {run.Cases.Count} converged");
        // The median mixes in how busy the neighbour was: on average over the cases it lands well above the true cost,
        // and above the estimate. (Counted case by case, "most medians more than 5% over" failed in a CI run, seed
        // 2104281868, 3 of 8: the busy windows span several samples, so a short case's median can land low.)
        double medianOver = run.Cases.Average(m => m.Statistics.Median.Nanoseconds / TrueLatency(m.Case).Nanoseconds);
        double estimateOver = run.Cases.Average(m => m.Latency.Value.Nanoseconds / TrueLatency(m.Case).Nanoseconds);
        Assert.True(medianOver > 1.05 && medianOver > estimateOver, $"seed {seed}: medians {medianOver:F3}× the true cost on average, the estimate {estimateOver:F3}×");
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
        using var backend = new FakeBackend(clock, TrueLatency, noise: 0.01, seed: seed);
        using var store = NewStore();
        var run = new MeasurementEngine(backend, new EngineSettings(), clock).Run(Cases(16, 128), store);
        Assert.All(run.Cases, m =>
        {
            Assert.True(m.Latency.RelativeHalfWidth <= 0.02, $"seed {seed}: {m.Case.Key} interval ±{m.Latency.RelativeHalfWidth:P1}");
            // Symmetric noise of 1%: the 10th percentile lies about 1.3% under the true cost.
            Assert.InRange(m.Latency.Value.Nanoseconds / TrueLatency(m.Case).Nanoseconds, 0.97, 1.0);
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
        int measured = stored.Values.First().Bursts.Count;
        Assert.True(measured >= new EngineSettings().MinRounds);
        Assert.All(stored.Values, s => Assert.Equal(Enumerable.Range(0, measured), s.Bursts.Select(b => b.Round)));
        Assert.Equal(measured + 1, store.LoadSentinels().Count);
    }

    [Fact]
    public void Round_factors_follow_the_sentinel_between_its_boundaries()
    {
        var sentinels = new SortedDictionary<int, List<double>>
        {
            [0] = [100, 101, 99], [1] = [100, 100, 100], [2] = [150, 149, 151], [3] = [150, 150, 150],
        };
        var drift = DriftCorrection.Compute(sentinels, "test", [], apply: false);
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
    public void A_correction_that_helps_is_applied_when_asked_and_the_samples_are_divided_by_their_round_factor()
    {
        var clock = new FakeClock();
        // The machine slows down as the run goes on; the sentinel sees it too, so the correction steadies the bursts.
        using var backend = new FakeBackend(clock, TrueLatency) { Drift = seconds => 1 + 0.2 * seconds };
        using var store = NewStore();
        var settings = new EngineSettings { CorrectDrift = true, TargetRelativeCi = 1e-4 }.WithRounds(8);
        var run = new MeasurementEngine(backend, settings, clock).Run(Cases(16, 64, 128, 256), store);

        Assert.True(run.Drift.Helps, $"spread {run.Drift.SpreadAsTimed} as timed, {run.Drift.SpreadCorrected} corrected");
        Assert.True(run.Drift.Applied);
        Assert.True(run.Drift.RoundFactors[^1] > run.Drift.RoundFactors[0]);
        var stored = store.LoadCases();
        foreach (var m in run.Cases)
        {
            var corrected = stored[m.Case.Key].Bursts.SelectMany(b => b.Samples.Select(s => s / run.Drift.RoundFactors[b.Round])).ToList();
            Assert.Equal(LatencyEstimate.FromNanoseconds(corrected), m.Latency);
            Assert.Equal(SampleStatistics.FromNanoseconds(stored[m.Case.Key].Bursts.SelectMany(b => b.Samples).ToList()).Median, m.UncorrectedMedian);
        }
    }

    [Fact]
    public void By_default_the_drift_is_recorded_but_not_applied()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, TrueLatency) { Drift = seconds => 1 + 0.2 * seconds };
        using var store = NewStore();
        var run = new MeasurementEngine(backend, new EngineSettings(), clock).Run(Cases(16, 64), store);

        Assert.False(run.Drift.Applied);
        Assert.True(run.Drift.RoundFactors[^1] > run.Drift.RoundFactors[0]);
        var stored = store.LoadCases();
        Assert.All(run.Cases, m => Assert.Equal(LatencyEstimate.FromNanoseconds(stored[m.Case.Key].Bursts.SelectMany(b => b.Samples).ToList()), m.Latency));
    }

    [Fact]
    public void A_correction_is_applied_only_where_it_makes_the_bursts_agree_better()
    {
        var rng = new Random(Random.Shared.Next());
        var sentinels = new SortedDictionary<int, List<double>>();
        var levels = Enumerable.Range(0, 7).Select(_ => 0.8 + 0.4 * rng.NextDouble()).ToArray();
        for (int b = 0; b < levels.Length; b++) sentinels[b] = [100 * levels[b]];
        var factors = DriftCorrection.Compute(sentinels, "test", [], apply: false).RoundFactors;
        // Cases whose bursts follow the sentinel's level, and cases that the sentinel's swings never touched.
        var following = Enumerable.Range(0, 5).Select(c => (IReadOnlyList<Burst>)factors
            .Select((f, r) => new Burst(r, [1000.0 * (c + 1) * f, 1010.0 * (c + 1) * f])).ToList()).ToList();
        var steady = Enumerable.Range(0, 5).Select(c => (IReadOnlyList<Burst>)factors
            .Select((_, r) => new Burst(r, [1000.0 * (c + 1) * (1 + 0.001 * rng.NextDouble()), 1010.0 * (c + 1)])).ToList()).ToList();

        var helped = DriftCorrection.Compute(sentinels, "test", following, apply: true);
        var hurt = DriftCorrection.Compute(sentinels, "test", steady, apply: true);
        var notAsked = DriftCorrection.Compute(sentinels, "test", following, apply: false);

        Assert.True(helped.Helps && helped.Applied, $"spread {helped.SpreadAsTimed} → {helped.SpreadCorrected}");
        Assert.True(!hurt.Helps && !hurt.Applied, $"spread {hurt.SpreadAsTimed} → {hurt.SpreadCorrected}");
        Assert.True(notAsked.Helps && !notAsked.Applied);
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
            Assert.Equal(reference.Cases.Select(c => c.Latency), resumed.Cases.Select(c => c.Latency));
            Assert.True(storedBefore > 0);
        }
    }
}
