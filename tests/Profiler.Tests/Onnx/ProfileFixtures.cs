using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Onnx;

/// <summary>Small valid profiles with chosen cases and medians, for the compare and publish tests.</summary>
public static class ProfileFixtures
{
    /// <summary>A case of the tiny preset's sizes.</summary>
    public static OperatorCase Case(OperatorKind op, int tokensIn, int? tokensOut = null, int hidden = 128, string variant = "") =>
        new(op, tokensIn, tokensOut ?? tokensIn, hidden, 4, 512, 1, "float32", variant);

    /// <summary>
    /// A profile of <paramref name="backend"/> on <paramref name="device"/> whose cases have the given latencies
    /// (forty samples within +1% of it, so their intervals are tight).
    /// </summary>
    public static ProfileDocument Document(string backend, string device, string provider, IEnumerable<(OperatorCase Case, double LatencyUs)> cases,
        int seed = 1, string cpu = "AMD EPYC 7B13 64-Core Processor", string gpu = "", int threads = 2, string preset = "tiny")
    {
        var baseline = SampleProfiles.Random(seed, cases: 1);
        var rng = new Random(seed);
        var entries = cases.Select(c =>
        {
            var samples = Enumerable.Range(0, 40).Select(_ => c.LatencyUs * 1e3 * (1 + 0.01 * rng.NextDouble())).ToArray();
            var statistics = SampleStatistics.FromNanoseconds(samples);
            var latency = LatencyEstimate.FromNanoseconds(samples);
            return new CaseEntry
            {
                Case = c.Case, Latency = latency, Statistics = statistics, UncorrectedMedian = statistics.Median, InvocationsPerIteration = 10, Rounds = 4,
                Converged = true, Flops = 1e6, Bytes = 1e5, AchievedFlopsPerSecond = 1e6 / latency.Value.Seconds,
                FractionOfPeak = 1e6 / latency.Value.Seconds / baseline.Ceilings.MatmulFlopsPerSecond,
            };
        }).ToList();
        var document = baseline with
        {
            Fingerprint = baseline.Fingerprint with
            {
                Backend = backend, Device = device, Provider = provider, CpuModel = cpu, GpuName = gpu, Threads = threads,
                LogicalCores = Math.Max(threads, baseline.Fingerprint.LogicalCores),
            },
            Settings = baseline.Settings with
            {
                Preset = preset, Threads = threads,
                Operators = entries.Select(e => e.Case.Operator).Distinct().ToList(),
                Tokens = entries.Select(e => e.Case.TokensIn).Distinct().Order().ToList(),
            },
            Cases = entries,
        };
        return document.WithComputedHash();
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, ProfileDocument document)
    {
        ProfileWriter.Write(path, document, force: true);
        return path;
    }
}
