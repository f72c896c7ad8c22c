using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;

namespace Profiler.Benchmarks;

/// <summary>
/// Three of the profiler's tiny cases at 144 tokens (attention, the ToMe merge to 72 tokens, the MLP) under
/// BenchmarkDotNet's default job, with its minimum and median beside the mean: set them against the profile's
/// latency (the p10) of the same cases. The body is the very runner the profiler times, on the profiler's default
/// thread count, built on the benchmark's own thread.
/// </summary>
[Config(typeof(MinimumAndMedian))]
public class EstimatorCrossCheck
{
    private TorchBackend? backend;
    private ICaseRunner? runner;

    /// <summary>Operator.</summary>
    [Params("attention", "merge", "mlp")]
    public string Operator { get; set; } = "attention";

    /// <summary>Builds the case: a merge keeps half of the 144 tokens, as the profile's 0.5 keep ratio does.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var op = OperatorNames.Parse(Operator);
        var operatorCase = OperatorCase.Dense(op, 144, Preset.Tiny.Shape);
        if (op == OperatorKind.Merge) operatorCase = operatorCase with { TokensOut = 72 };
        backend = new TorchBackend("cpu", Environment.ProcessorCount);
        runner = backend.Prepare(operatorCase, seed: 1);
        runner.RefreshInputs();
    }

    /// <summary>One invocation.</summary>
    [Benchmark]
    public void Invoke() => runner!.Invoke();

    /// <summary>Frees the case.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        runner?.Dispose();
        backend?.Dispose();
    }

    /// <summary>The default job, with the minimum and median columns.</summary>
    private sealed class MinimumAndMedian : ManualConfig
    {
        public MinimumAndMedian()
        {
            AddJob(Job.Default);
            AddColumn(StatisticColumn.Min, StatisticColumn.Median);
        }
    }
}
