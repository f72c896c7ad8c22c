using System.Text.Json;
using Profiler.Backends.Onnx;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;
using Profiler.Measurement.Engine;

namespace Profiler.Tests.Measurement;

/// <summary>
/// The reference suite runs its three cases through a backend with the engine's timer and estimator: a fake backend
/// gives back its own latencies, a case the backend cannot run is recorded as failed (never given a number), and the
/// real backends run every case.
/// </summary>
public sealed class ReferenceProbeTests
{
    private static Latency FakeLatency(OperatorCase c) => Latency.FromMicroseconds(1);

    [Fact]
    public void A_fake_backend_gives_its_own_latencies_with_bounded_intervals()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, FakeLatency) { AddLatency = Latency.FromMicroseconds(3.5) };

        var suite = ReferenceProbe.Measure(backend, clock).ToSuite();

        Assert.Null(suite.FindProblem());
        Assert.Empty(suite.Failures);
        var expected = new Dictionary<string, Latency>
        {
            [ReferenceCaseNames.Call] = Latency.FromMicroseconds(3.5),
            [ReferenceCaseNames.Compute] = Latency.FromMicroseconds(Math.Pow(ReferenceProbe.ComputeSize, 3) / 1e5),
            [ReferenceCaseNames.Memory] = Latency.FromMicroseconds(ReferenceProbe.MemoryBytes / 1e4),
        };
        foreach (var (name, latency) in expected)
        {
            var c = suite.Find(name)!;
            Assert.Equal(latency.Nanoseconds, c.Latency.Value.Nanoseconds, 1e-6 * latency.Nanoseconds);
            Assert.NotNull(c.Latency.Low);
            Assert.NotNull(c.Latency.High);
            Assert.Equal(ReferenceProbe.DefaultRounds * ReferenceProbe.DefaultIterationsPerBurst, c.Latency.Count);
        }
        Assert.Equal(2.0 * Math.Pow(ReferenceProbe.ComputeSize, 3), suite.Find(ReferenceCaseNames.Compute)!.Flops);
        Assert.Equal(2.0 * ReferenceProbe.MemoryBytes, suite.Find(ReferenceCaseNames.Memory)!.Bytes);
        Assert.Equal(1, backend.Invocations.Keys.Count(k => k.StartsWith("add ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_case_the_backend_cannot_run_is_recorded_with_its_reason()
    {
        var clock = new FakeClock();
        using var backend = new NoCopyBackend(new FakeBackend(clock, FakeLatency));

        var suite = ReferenceProbe.Measure(backend, clock).ToSuite();

        Assert.Null(suite.FindProblem());
        Assert.Null(suite.Find(ReferenceCaseNames.Memory));
        Assert.Equal("NotSupportedException: no copy on this device", suite.WhyMissing(ReferenceCaseNames.Memory));
        Assert.NotNull(suite.Find(ReferenceCaseNames.Call));
        Assert.NotNull(suite.Find(ReferenceCaseNames.Compute));
    }

    [Fact]
    public void Too_few_samples_for_a_bounded_interval_are_refused()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, FakeLatency);
        int fewest = ReferenceProbe.MinimumSamples;
        Assert.Null(QuantileInterval.Ranks(fewest - 1, LatencyEstimate.Quantile, LatencyEstimate.ConfidenceLevel));
        Assert.NotNull(QuantileInterval.Ranks(fewest, LatencyEstimate.Quantile, LatencyEstimate.ConfidenceLevel));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceProbe.Measure(backend, clock, rounds: 1, iterationsPerBurst: fewest - 1));
        Assert.Equal(fewest, ReferenceProbe.Measure(backend, clock, rounds: 1, iterationsPerBurst: fewest).ToSuite().Cases[0].Latency.Count);
    }

    [Fact]
    public void On_a_slow_machine_the_suite_stops_after_its_time_cap_with_enough_samples()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, FakeLatency) { AddLatency = Latency.FromMilliseconds(60) };

        var suite = ReferenceProbe.Measure(backend, clock).ToSuite();

        var counts = suite.Cases.Select(c => c.Latency.Count).Distinct().ToList();
        int full = ReferenceProbe.DefaultRounds * ReferenceProbe.DefaultIterationsPerBurst;
        Assert.Single(counts);
        Assert.InRange(counts[0], ReferenceProbe.MinimumSamples, full - 1);
        Assert.InRange(clock.Now() / 1e9, ReferenceProbe.MaxTime.Seconds, ReferenceProbe.MaxTime.Seconds + 2);
        Assert.Null(suite.FindProblem());
    }

    [Fact]
    public void The_raw_samples_survive_the_raw_store_json_and_give_the_same_suite()
    {
        var clock = new FakeClock();
        using var backend = new FakeBackend(clock, FakeLatency, noise: 0.05, seed: Random.Shared.Next());
        var measured = ReferenceProbe.Measure(backend, clock, rounds: 6);

        var again = JsonSerializer.Deserialize<ReferenceMeasurement>(JsonSerializer.Serialize(measured))!;

        Assert.Equal(measured.ToSuite(), again.ToSuite());
    }

    [Fact]
    public void The_torch_backend_runs_every_reference_case()
    {
        using var backend = new TorchBackend("cpu", 1);
        var suite = ReferenceProbe.Measure(backend, rounds: 6).ToSuite();
        Assert.True(suite.FindProblem() is null, string.Join("; ", suite.Failures.Select(f => f.Reason)));
        Assert.Empty(suite.Failures);
        Assert.All(suite.Cases, c => Assert.True(c.Latency.Value.Nanoseconds > 0));
    }

    [Fact]
    public void The_onnx_backend_runs_every_reference_case()
    {
        using var backend = new OnnxBackend("cpu", 1);
        var suite = ReferenceProbe.Measure(backend, rounds: 6).ToSuite();
        Assert.True(suite.FindProblem() is null, string.Join("; ", suite.Failures.Select(f => f.Reason)));
        Assert.Empty(suite.Failures);
    }

    [Fact]
    public void The_add_case_adds_on_both_backends()
    {
        using (var torch = new TorchBackend("cpu", 1))
        using (var runner = torch.PrepareAdd(3, seed: 4))
        {
            runner.Invoke();
            Assert.Equal(3, runner.Flops);
        }
        using var onnx = new OnnxBackend("cpu", 1);
        using var onnxRunner = onnx.PrepareAdd(1, seed: 4);
        onnxRunner.Invoke();
        onnxRunner.RefreshInputs();
        onnxRunner.Invoke();
        Assert.Equal(12, onnxRunner.Bytes);
    }

    [Fact]
    public void The_call_case_allocates_nothing_managed_per_call_on_both_backends()
    {
        int elements = Random.Shared.Next(1, 9);
        using var torch = new TorchBackend("cpu", 1);
        using var onnx = new OnnxBackend("cpu", 1);
        foreach (IBackend backend in new IBackend[] { torch, onnx })
        {
            using var runner = backend.PrepareAdd(elements, seed: Random.Shared.Next());
            runner.Invoke();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 2000; i++) runner.Invoke();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(allocated < 2000, $"{backend.Name}: 2,000 calls of {elements} elements allocated {allocated} managed bytes");
            Assert.Equal(elements, runner.Flops);
            Assert.Contains($"{elements}-element", backend.DescribeAdd(elements));
        }
        Assert.Contains("nothing allocated per call", torch.DescribeAdd(elements));
    }

    /// <summary>A fake backend that cannot copy (as a device might not be able to hold the buffer).</summary>
    private sealed class NoCopyBackend(FakeBackend inner) : IBackend
    {
        public string Name => inner.Name;
        public string Device => inner.Device;
        public IReadOnlyList<OperatorKind> SupportedOperators => inner.SupportedOperators;
        public BackendDescription Describe() => inner.Describe();
        public ICaseRunner Prepare(OperatorCase operatorCase, int seed) => inner.Prepare(operatorCase, seed);
        public ICaseRunner PrepareMatmul(int size, int seed) => inner.PrepareMatmul(size, seed);
        public ICaseRunner PrepareCopy(long bytes, int seed) => throw new NotSupportedException("no copy on this device");
        public ICaseRunner PrepareAdd(long elements, int seed) => inner.PrepareAdd(elements, seed);
        public string DescribeAdd(long elements) => inner.DescribeAdd(elements);
        public void Dispose() => inner.Dispose();
    }
}
