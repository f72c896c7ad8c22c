using BenchmarkDotNet.Attributes;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;

namespace Profiler.Benchmarks;

/// <summary>
/// The profiler's dense cases measured by BenchmarkDotNet's default job, to cross-check the profiler's medians and
/// its cost per case. The body is the very runner the profiler times.
/// </summary>
public class DenseOperatorBenchmarks
{
    private TorchBackend? backend;
    private ICaseRunner? runner;

    /// <summary>Operator.</summary>
    [Params("attention", "mlp", "layernorm", "block")]
    public string Operator { get; set; } = "attention";

    /// <summary>Token count.</summary>
    [Params(144)]
    public int Tokens { get; set; }

    /// <summary>Builds the case on the benchmark's own thread, with the profiler's default thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        backend = new TorchBackend("cpu", Environment.ProcessorCount);
        runner = backend.Prepare(OperatorCase.Dense(OperatorNames.Parse(Operator), Tokens, Preset.Tiny.Shape), seed: 1);
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
}
