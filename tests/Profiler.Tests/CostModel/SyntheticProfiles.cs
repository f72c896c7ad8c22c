using Profiler.Core;
using Profiler.Operators;
using Profiler.Profiles;

namespace Profiler.Tests.CostModel;

/// <summary>
/// Profiles with known latency shapes, so the cost models can be tested without measuring: per operator a smooth
/// curve (overhead + linear + quadratic in the token count, random coefficients) with an upward step at a random
/// token count, like a tile boundary, and a little multiplicative noise. Same seed, same profile.
/// </summary>
public static class SyntheticProfiles
{
    /// <summary>The true latency shape of one operator.</summary>
    /// <param name="OverheadUs">Per-call overhead.</param>
    /// <param name="LinearUs">Microseconds per token.</param>
    /// <param name="QuadraticUs">Microseconds per token².</param>
    /// <param name="StepAt">Token count above which the step applies.</param>
    /// <param name="StepFactor">Latency multiplier above the step (1 for none).</param>
    public sealed record Shape(double OverheadUs, double LinearUs, double QuadraticUs, int StepAt, double StepFactor)
    {
        /// <summary>True latency at n tokens.</summary>
        public double Us(double n) => (OverheadUs + LinearUs * n + QuadraticUs * n * n) * (n > StepAt ? StepFactor : 1);
    }

    /// <summary>The true latency of a prune from n to k tokens: overhead, per token in and out, a step in k.</summary>
    /// <param name="OverheadUs">Per-call overhead.</param>
    /// <param name="PerTokenInUs">Microseconds per token in (scoring, ranking).</param>
    /// <param name="PerTokenOutUs">Microseconds per kept token (copying).</param>
    /// <param name="StepAt">Tokens out above which the step applies.</param>
    /// <param name="StepFactor">Latency multiplier above the step.</param>
    public sealed record PruneShape(double OverheadUs, double PerTokenInUs, double PerTokenOutUs, int StepAt, double StepFactor)
    {
        /// <summary>True latency from n to k tokens.</summary>
        public double Us(double n, double k) => (OverheadUs + PerTokenInUs * n + PerTokenOutUs * k) * (k > StepAt ? StepFactor : 1);
    }

    /// <summary>Retention ratios the synthetic prune cases are measured at.</summary>
    public static IReadOnlyList<double> KeepRatios { get; } = [0.25, 0.5, 0.75];

    /// <summary>The tokens every synthetic profile has: 8, 16, …, 256.</summary>
    public static IReadOnlyList<int> Tokens { get; } = TokenGrid.Range(8, 256, 8);

    /// <summary>Random shapes for layernorm, attention and MLP (the tiny preset's layer).</summary>
    public static IReadOnlyDictionary<OperatorKind, Shape> Shapes(int seed)
    {
        var rng = new Random(seed);
        Shape Draw(double overhead, double linear, double quadratic, double step) => new(
            overhead * (0.7 + 0.6 * rng.NextDouble()), linear * (0.7 + 0.6 * rng.NextDouble()),
            quadratic * rng.NextDouble(), 8 * rng.Next(6, 26), 1 + step * (0.5 + rng.NextDouble()));
        return new Dictionary<OperatorKind, Shape>
        {
            [OperatorKind.LayerNorm] = Draw(6, 0.04, 0, 0),
            [OperatorKind.Attention] = Draw(60, 1.6, 0.004, 0.12),
            [OperatorKind.Mlp] = Draw(50, 1.5, 0, 0.08),
        };
    }

    /// <summary>A random prune shape.</summary>
    public static PruneShape Prune(int seed)
    {
        var rng = new Random(seed + 2);
        return new PruneShape(10 * (0.7 + 0.6 * rng.NextDouble()), 0.03 * rng.NextDouble(), 0.08 * (0.5 + rng.NextDouble()),
            rng.Next(24, 160), 1.1 + 0.1 * rng.NextDouble());
    }

    /// <summary>A valid profile of the tiny preset's layer operators with the shapes of <see cref="Shapes"/>, and prune cases of <see cref="Prune"/>.</summary>
    /// <param name="seed">Seed of the shapes and the noise.</param>
    /// <param name="noise">Relative spread of the measured medians around the true latency.</param>
    /// <param name="fingerprint">Fingerprint (default: <see cref="Fingerprint"/>).</param>
    public static ProfileDocument Create(int seed, double noise = 0.002, Fingerprint? fingerprint = null)
    {
        var shapes = Shapes(seed);
        var rng = new Random(seed + 1);
        var shape = Preset.Tiny.Shape;
        var entries = new List<CaseEntry>();
        foreach (var (op, truth) in shapes)
        {
            foreach (var n in Tokens)
            {
                var c = OperatorCase.Dense(op, n, shape);
                double median = truth.Us(n) * (1 + noise * (2 * rng.NextDouble() - 1));
                entries.Add(Entry(c, median, rng));
            }
        }
        var prune = Prune(seed);
        foreach (var n in Tokens)
        {
            foreach (var k in KeepRatios.Select(r => (int)Math.Ceiling(r * n)).Distinct())
            {
                var c = OperatorCase.Dense(OperatorKind.Prune, n, shape) with { TokensOut = k };
                entries.Add(Entry(c, prune.Us(n, k) * (1 + noise * (2 * rng.NextDouble() - 1)), rng));
            }
        }
        var document = new ProfileDocument
        {
            Fingerprint = fingerprint ?? Fingerprint(),
            Settings = new RunSettings
            {
                Preset = "tiny", Operators = [.. shapes.Keys, OperatorKind.Prune], Tokens = Tokens, Threads = 2, Batch = 1, DType = "float32",
                Seed = seed, Rounds = 3, Estimator = LatencyEstimate.Name, TargetRelativeCiHalfWidth = 0.02, MinIterations = 15, MaxIterations = 100,
                MaxTimePerCase = Latency.FromSeconds(10), IterationTime = Latency.FromMilliseconds(2), Budget = null, Complete = true,
            },
            Ceilings = new DeviceCeilings { MatmulFlopsPerSecond = 8e10, MatmulSize = "synthetic", MemoryBytesPerSecond = 3e10, MemorySize = "synthetic" },
            Drift = new DriftRecord { Sentinel = "none", SentinelMedians = [], Corrections = [], SpreadAsTimed = null, SpreadCorrected = null, Applied = false },
            Cases = entries,
        };
        return document.WithComputedHash();
    }

    /// <summary>
    /// <paramref name="document"/> (made by <see cref="Create"/> with <paramref name="seed"/>) with block cases: at each
    /// token count the true cost of the layer's parts (two layernorms, attention, MLP) plus <paramref name="glueUs"/>.
    /// </summary>
    public static ProfileDocument WithBlocks(ProfileDocument document, int seed, double glueUs)
    {
        var shapes = Shapes(seed);
        var rng = new Random(seed + 3);
        var blocks = Tokens.Select(n => Entry(OperatorCase.Dense(OperatorKind.Block, n, Preset.Tiny.Shape),
            2 * shapes[OperatorKind.LayerNorm].Us(n) + shapes[OperatorKind.Attention].Us(n) + shapes[OperatorKind.Mlp].Us(n) + glueUs, rng)).ToList();
        return (document with
        {
            Cases = [.. document.Cases, .. blocks],
            Settings = document.Settings with { Operators = [.. document.Settings.Operators, OperatorKind.Block] },
        }).WithComputedHash();
    }

    /// <summary>A fingerprint of a made-up CPU; <paramref name="cpu"/> changes the hardware key.</summary>
    public static Fingerprint Fingerprint(string cpu = "Synthetic CPU 9000") => new()
    {
        Os = "Debian GNU/Linux 12", CpuModel = cpu, LogicalCores = 2, MemoryBytes = 24L << 30, DotNetVersion = ".NET 10.0.0",
        Backend = "torch", BackendVersion = "libtorch 2.10.0", Device = "cpu", Provider = "cpu", Threads = 2, DType = "float32",
        ToolVersion = "0.1.0", Date = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The profile with one operator's cases cut to <paramref name="keep"/> token counts.</summary>
    public static ProfileDocument WithFewCases(ProfileDocument document, OperatorKind op, int keep) => (document with
    {
        Cases = document.Cases.Where(c => c.Case.Operator != op || c.Case.TokensIn <= 8 * keep).ToList(),
    }).WithComputedHash();

    private static CaseEntry Entry(OperatorCase c, double latencyUs, Random rng)
    {
        // Five samples at and above the latency (one-sided, as a shared machine's noise is), so that the profile's
        // estimator, the p10 (of five samples: the smallest), is the latency itself and the statistics are real ones.
        var samples = new[] { 1.0, 1.02, 1.03, 1.04, 1.08 }.Select(f => f * latencyUs * 1e3).OrderBy(_ => rng.Next()).ToList();
        var statistics = SampleStatistics.FromNanoseconds(samples);
        var latency = LatencyEstimate.FromNanoseconds(samples);
        double flops = OperatorCosts.Flops(c);
        return new CaseEntry
        {
            Case = c, Latency = latency, Statistics = statistics, UncorrectedMedian = statistics.Median, InvocationsPerIteration = 1, Rounds = 3,
            Converged = true, Flops = flops, Bytes = OperatorCosts.Bytes(c),
            AchievedFlopsPerSecond = flops / latency.Value.Seconds, FractionOfPeak = flops / latency.Value.Seconds / 8e10,
        };
    }
}
