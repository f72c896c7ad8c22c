using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

/// <summary>
/// Random but valid profile documents for tests. The same seed gives the same document; put the seed in assertion
/// messages so a failure can be replayed.
/// </summary>
public static class SampleProfiles
{
    private static readonly string[] CpuModels = ["AMD EPYC 7B13", "Intel(R) Xeon(R) Platinum 8375C", "Apple M2 Pro", "Ampere Altra Q80-30"];

    /// <summary>
    /// A valid document with its content hash, holding <paramref name="cases"/> distinct cases (at least one).
    /// The first case has a single sample (no confidence interval); latencies span nanoseconds to seconds and carry
    /// arbitrary low bits, so they exercise the exactness of the microsecond conversion.
    /// </summary>
    public static ProfileDocument Random(int seed, int cases = 12)
    {
        var rng = new Random(seed);
        var preset = Preset.All[rng.Next(Preset.All.Count)];
        var ceilings = new DeviceCeilings
        {
            MatmulFlopsPerSecond = Scale(rng, 1e10, 1e14),
            MatmulSize = $"{rng.Next(256, 4096)}x{rng.Next(256, 4096)}x{rng.Next(256, 4096)} float32",
            MemoryBytesPerSecond = Scale(rng, 1e9, 3e12),
            MemorySize = $"copy of {rng.Next(16, 1024)} MiB",
        };
        var entries = Enumerable.Range(0, cases)
            .Select(i => RandomCase(rng, preset, ceilings, i, samples: i == 0 ? 1 : rng.Next(2, 40)))
            .ToList();
        int rounds = rng.Next(1, 9);
        var document = new ProfileDocument
        {
            Fingerprint = RandomFingerprint(rng),
            Settings = RandomSettings(rng, preset, rounds, entries),
            Ceilings = ceilings,
            Drift = new DriftRecord
            {
                Sentinel = entries[0].Case.Key,
                SentinelMedians = Enumerable.Range(0, rounds + 1).Select(_ => new Latency(Scale(rng, 1e3, 1e6))).ToList(),
                Corrections = Enumerable.Range(0, rounds).Select(_ => 0.9 + 0.2 * rng.NextDouble()).ToList(),
                SpreadAsTimed = rng.Next(3) == 0 ? null : 0.2 * rng.NextDouble(),
                SpreadCorrected = rng.Next(3) == 0 ? null : 0.2 * rng.NextDouble(),
                Applied = rng.Next(2) == 0,
            },
            Cases = entries,
        };
        return document.WithComputedHash();
    }

    /// <summary>
    /// A case entry built from <paramref name="samples"/> random samples through
    /// <see cref="SampleStatistics.FromNanoseconds"/>, running at 0.1% to 80% of the ceilings' matmul peak.
    /// Entries with different <paramref name="index"/> are different cases.
    /// </summary>
    public static CaseEntry RandomCase(Random rng, Preset preset, DeviceCeilings ceilings, int index, int samples)
    {
        var kinds = Enum.GetValues<OperatorKind>();
        var op = kinds[index % kinds.Length];
        // Distinct per index: each operator appears once per lap through the kinds, at a new token count.
        int tokensIn = 8 * (1 + index / kinds.Length) + rng.Next(0, 4) * 1000;
        int tokensOut = op.IsReduction() ? Math.Max(1, (int)Math.Ceiling(tokensIn * (0.2 + 0.8 * rng.NextDouble()))) : tokensIn;
        var variant = op == OperatorKind.Prune ? (rng.Next(2) == 0 ? "norm" : "cls") : "";
        var shape = preset.Shape;
        var operatorCase = new OperatorCase(op, tokensIn, tokensOut, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32", variant);

        double typical = Scale(rng, 1e1, 1e9);
        var drawn = Enumerable.Range(0, samples).Select(_ => typical * (1 + 0.3 * rng.NextDouble())).ToArray();
        var statistics = SampleStatistics.FromNanoseconds(drawn);
        var latency = LatencyEstimate.FromNanoseconds(drawn);
        double achieved = ceilings.MatmulFlopsPerSecond * Scale(rng, 0.001, 0.8);
        return new CaseEntry
        {
            Case = operatorCase,
            Latency = latency,
            Statistics = statistics,
            UncorrectedMedian = statistics.Median * (0.9 + 0.2 * rng.NextDouble()),
            InvocationsPerIteration = rng.Next(1, 500),
            Rounds = rng.Next(1, 9),
            Converged = rng.Next(4) != 0,
            Flops = achieved * latency.Value.Seconds,
            Bytes = 4.0 * tokensIn * shape.Hidden * (1 + rng.NextDouble()),
            AchievedFlopsPerSecond = achieved,
            FractionOfPeak = achieved / ceilings.MatmulFlopsPerSecond,
        };
    }

    private static Fingerprint RandomFingerprint(Random rng)
    {
        var threadSettings = new Dictionary<string, string>();
        foreach (var name in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS", "interop" }.OrderBy(_ => rng.Next()))
            threadSettings[name] = rng.Next(1, 17).ToString(System.Globalization.CultureInfo.InvariantCulture);
        bool gpu = rng.Next(2) == 0;
        int cores = rng.Next(1, 129);
        return new Fingerprint
        {
            Os = $"Debian GNU/Linux 12 (bookworm) {rng.Next(1000)}",
            CpuModel = CpuModels[rng.Next(CpuModels.Length)],
            LogicalCores = cores,
            MemoryBytes = rng.NextInt64(1L << 30, 1L << 40),
            DotNetVersion = "10.0." + rng.Next(20),
            Backend = gpu ? "torch" : "onnx",
            BackendVersion = $"{rng.Next(1, 3)}.{rng.Next(20)}.{rng.Next(5)}",
            Device = gpu ? "cuda:0" : "cpu",
            Provider = gpu ? "cuda" : "CPUExecutionProvider",
            GpuName = gpu ? "NVIDIA H100 80GB HBM3 — \"SXM\"" : "",
            GpuDriver = gpu ? "550." + rng.Next(100) : "",
            Threads = rng.Next(1, Math.Min(cores, 16) + 1),
            ThreadSettings = threadSettings,
            DType = "float32",
            ToolVersion = "0.1.0",
            Date = new DateTimeOffset(rng.NextInt64(DateTimeOffset.UnixEpoch.Ticks, new DateTime(2100, 1, 1).Ticks), TimeSpan.FromMinutes(15 * rng.Next(-48, 49))),
        };
    }

    private static RunSettings RandomSettings(Random rng, Preset preset, int rounds, IReadOnlyList<CaseEntry> entries)
    {
        int minIterations = rng.Next(1, 30);
        return new RunSettings
        {
            Preset = preset.Name,
            Operators = entries.Select(e => e.Case.Operator).Distinct().ToList(),
            Tokens = entries.Select(e => e.Case.TokensIn).Distinct().Order().ToList(),
            Threads = rng.Next(1, 17),
            Batch = 1,
            DType = "float32",
            Seed = rng.Next(int.MinValue, int.MaxValue),
            Rounds = rounds,
            Estimator = LatencyEstimate.Name,
            TargetRelativeCiHalfWidth = 0.005 + 0.05 * rng.NextDouble(),
            MinIterations = minIterations,
            MaxIterations = minIterations + rng.Next(0, 200),
            MaxTimePerCase = Latency.FromSeconds(1 + 60 * rng.NextDouble()),
            IterationTime = Latency.FromMicroseconds(100 + 10_000 * rng.NextDouble()),
            Budget = rng.Next(2) == 0 ? null : Latency.FromSeconds(60 + 7200 * rng.NextDouble()),
            Complete = rng.Next(3) != 0,
        };
    }

    // Log-uniform between low and high, so values of every magnitude appear.
    private static double Scale(Random rng, double low, double high) =>
        low * Math.Pow(high / low, rng.NextDouble());
}
