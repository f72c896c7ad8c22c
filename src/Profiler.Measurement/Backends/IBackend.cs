using Profiler.Core;

namespace Profiler.Measurement.Backends;

/// <summary>
/// What runs cases: a backend (torch, onnx, fake) on one device. It prepares runnable cases; the engine times them.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>Backend name as users type it ("torch", "onnx", "fake").</summary>
    string Name { get; }

    /// <summary>Device as users type it ("cpu", "cuda:0", "dml:0").</summary>
    string Device { get; }

    /// <summary>Operators this backend can run, in the order they are profiled.</summary>
    IReadOnlyList<OperatorKind> SupportedOperators { get; }

    /// <summary>Versions, provider, GPU and threading facts for the fingerprint.</summary>
    BackendDescription Describe();

    /// <summary>Builds the case's module and inputs (weights and inputs random, seeded).</summary>
    ICaseRunner Prepare(OperatorCase operatorCase, int seed);

    /// <summary>A square matrix product of side <paramref name="size"/>: the drift sentinel and the FLOP/s ceiling.</summary>
    ICaseRunner PrepareMatmul(int size, int seed);

    /// <summary>A device-to-device copy of <paramref name="bytes"/> bytes: the memory-bandwidth ceiling.</summary>
    ICaseRunner PrepareCopy(long bytes, int seed);

    /// <summary>
    /// An element-wise sum of two float32 vectors of <paramref name="elements"/>: with one element, what a call through
    /// the backend costs however little it computes (the reference suite's per-call case). An invocation allocates no
    /// managed memory: a one-element case is so short that the .NET allocator and collector, whose cost depends on
    /// what else the process holds, would otherwise set its time.
    /// </summary>
    ICaseRunner PrepareAdd(long elements, int seed);

    /// <summary>What <see cref="PrepareAdd"/> runs, in words (recorded with the case; suites whose cases ran otherwise are not compared).</summary>
    string DescribeAdd(long elements);
}

/// <summary>One prepared case. The engine calls these on one thread only, the thread that created the backend.</summary>
public interface ICaseRunner : IDisposable
{
    /// <summary>Draws fresh random inputs (never time on zeros or on the same data forever). Not timed.</summary>
    void RefreshInputs();

    /// <summary>Runs the case once. Results are discarded.</summary>
    void Invoke();

    /// <summary>Waits until all work queued on the device is done (a no-op on a CPU).</summary>
    void Synchronize();

    /// <summary>FLOPs of one invocation (2 per multiply-accumulate).</summary>
    double Flops { get; }

    /// <summary>Compulsory bytes moved by one invocation.</summary>
    double Bytes { get; }
}

/// <summary>Facts about a backend that go into the fingerprint.</summary>
/// <param name="Version">Library version, e.g. "libtorch 2.10.0 (TorchSharp 0.107.0)".</param>
/// <param name="Provider">Execution provider or device type.</param>
/// <param name="GpuName">GPU name, empty on a CPU.</param>
/// <param name="GpuDriver">GPU driver, empty on a CPU.</param>
/// <param name="Threads">Intra-op threads in use.</param>
/// <param name="ThreadSettings">Threading settings as recorded (OpenMP variables, inter-op threads).</param>
public sealed record BackendDescription(
    string Version, string Provider, string GpuName, string GpuDriver, int Threads,
    IReadOnlyDictionary<string, string> ThreadSettings);
