using Profiler.Core;
using Profiler.Measurement.Engine;

namespace Profiler.Measurement.Backends;

/// <summary>A clock that only moves when told to: the fake backend's invocations advance it.</summary>
public sealed class FakeClock : IClock
{
    private long ticks;

    /// <inheritdoc />
    public long Now() => ticks;

    /// <inheritdoc />
    public double TicksPerSecond => 1e9;

    /// <summary>Moves time forward.</summary>
    public void Advance(Latency latency) => ticks += Math.Max(1, (long)Math.Round(latency.Nanoseconds));
}

/// <summary>
/// A backend with made-up, deterministic latencies that advance a <see cref="FakeClock"/>: it makes the engine and
/// everything downstream testable without timing anything real. Noise is multiplicative and seeded.
/// </summary>
public sealed class FakeBackend(FakeClock clock, Func<OperatorCase, Latency> latency, double noise = 0.0, int seed = 1) : IBackend
{
    private readonly Random random = new(seed);

    /// <summary>Invocations run so far, per case key (lets tests see what was measured).</summary>
    public Dictionary<string, int> Invocations { get; } = [];

    /// <summary>Optional drift: a factor on every latency as a function of the clock's time in seconds.</summary>
    public Func<double, double> Drift { get; init; } = _ => 1.0;

    /// <inheritdoc />
    public string Name => "fake";

    /// <inheritdoc />
    public string Device => "cpu";

    /// <inheritdoc />
    public IReadOnlyList<OperatorKind> SupportedOperators { get; } = Enum.GetValues<OperatorKind>();

    /// <inheritdoc />
    public BackendDescription Describe() => new("fake 1.0", "fake", "", "", 1, new Dictionary<string, string>());

    /// <inheritdoc />
    public ICaseRunner Prepare(OperatorCase operatorCase, int seed) => new Runner(this, operatorCase.Key, latency(operatorCase), 2.0 * operatorCase.TokensIn * operatorCase.Hidden, 4.0 * operatorCase.TokensIn);

    /// <inheritdoc />
    public ICaseRunner PrepareMatmul(int size, int seed) => new Runner(this, $"matmul {size}", Latency.FromMicroseconds(size * size * size / 1e5), 2.0 * size * size * size, 12.0 * size * size);

    /// <inheritdoc />
    public ICaseRunner PrepareCopy(long bytes, int seed) => new Runner(this, "copy", Latency.FromMicroseconds(bytes / 1e4), 0, 2.0 * bytes);

    /// <inheritdoc />
    public ICaseRunner PrepareAdd(long elements, int seed) => new Runner(this, $"add {elements}", AddLatency, elements, 12.0 * elements);

    /// <inheritdoc />
    public string DescribeAdd(long elements) => $"fake add of {elements} elements";

    /// <summary>The latency of <see cref="PrepareAdd"/>'s case, whatever its size (the fake has no per-element cost there).</summary>
    public Latency AddLatency { get; init; } = Latency.FromMicroseconds(2);

    /// <inheritdoc />
    public void Dispose() { }

    private void Run(string key, Latency baseLatency)
    {
        Invocations[key] = Invocations.GetValueOrDefault(key) + 1;
        double factor = Drift(clock.Now() / 1e9) * (1 + noise * Gaussian());
        clock.Advance(baseLatency * Math.Max(0.01, factor));
    }

    private double Gaussian()
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private sealed class Runner(FakeBackend owner, string key, Latency latency, double flops, double bytes) : ICaseRunner
    {
        public double Flops => flops;
        public double Bytes => bytes;
        public void RefreshInputs() { }
        public void Invoke() => owner.Run(key, latency);
        public void Synchronize() { }
        public void Dispose() { }
    }
}
