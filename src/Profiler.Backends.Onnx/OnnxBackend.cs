using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Backends.Onnx.Runtime;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Operators;

namespace Profiler.Backends.Onnx;

/// <summary>
/// ONNX Runtime on the CPU, a CUDA GPU or a DirectML GPU. Each case runs an ONNX model written in C# with the same
/// operator definitions as the torch backend (<see cref="TransformerGraphs"/>), with the intra-op thread count
/// fixed and recorded. The provider is checked when the backend opens, so a missing one fails before any work.
/// </summary>
public sealed class OnnxBackend : IBackend
{
    /// <summary>Weights of idle sessions kept for reuse: a whole llava-size layer's four operators fit.</summary>
    public const long DefaultIdleSessionBytes = 3L << 30;

    private readonly OnnxDevice device;
    private readonly int threads;
    private readonly SessionPool pool;
    private readonly bool sharedThreads;

    /// <summary>
    /// Opens the backend on <paramref name="deviceName"/> ("cpu", "cuda:N", "dml:N") with <paramref name="threads"/>
    /// intra-op threads. A provider this build lacks is an <see cref="InputException"/> naming the package.
    /// </summary>
    public OnnxBackend(string deviceName, int threads, long idleSessionBytes = DefaultIdleSessionBytes)
    {
        InputCheck.Positive(threads, "--threads");
        device = OnnxDevice.Parse(deviceName);
        this.threads = threads;
        sharedThreads = OnnxEnvironment.SharesPool(threads);
        // Appending the provider once here turns a missing provider into bad input before anything is measured.
        CreateOptions().Dispose();
        pool = new SessionPool(CreateOptions, idleSessionBytes);
    }

    /// <inheritdoc />
    public string Name => "onnx";

    /// <inheritdoc />
    public string Device => device.Name;

    /// <inheritdoc />
    public IReadOnlyList<OperatorKind> SupportedOperators => CaseModels.Supported;

    /// <inheritdoc />
    public BackendDescription Describe()
    {
        var settings = new Dictionary<string, string>
        {
            ["ort.intra_op_num_threads"] = threads.ToString(CultureInfo.InvariantCulture),
            ["ort.inter_op_num_threads"] = "1",
            ["ort.execution_mode"] = "sequential",
            ["ort.graph_optimization_level"] = "all",
            ["ort.intra_op.allow_spinning"] = sharedThreads ? "1" : "0",
            ["ort.thread_pool"] = sharedThreads ? OnnxEnvironment.GlobalPool : OnnxEnvironment.SessionPools,
            ["ort.available_providers"] = string.Join(",", OrtEnv.Instance().GetAvailableProviders()),
        };
        bool gpu = device.Kind != OnnxProviderKind.Cpu;
        return new BackendDescription(
            $"ONNX Runtime {OrtEnv.Instance().GetVersionString()} ({OnnxDevice.BuildPackage})",
            device.ProviderName,
            gpu ? $"{device.ProviderName} device {device.Index} (name not exposed by ONNX Runtime)" : "",
            "", threads, settings);
    }

    /// <inheritdoc />
    public ICaseRunner Prepare(OperatorCase operatorCase, int seed)
    {
        var c = operatorCase.Validated();
        // Checked before any session is built: an impossible case or variant is bad input, not a runtime failure.
        var signature = CaseModels.Signature(c);
        double flops = OperatorCosts.Flops(c), bytes = OperatorCosts.Bytes(c);
        var lease = pool.Acquire(CaseModels.ModelKey(c, seed), () => CaseModels.Build(c, seed));
        return Runner(lease, signature, seed, flops, bytes);
    }

    /// <inheritdoc />
    public ICaseRunner PrepareMatmul(int size, int seed)
    {
        long[] shape = [size, size];
        var signature = new CaseSignature([new CaseInput(CaseModels.InputName, shape, InputDistribution.Normal)], [shape]);
        return Runner(Unpooled(UtilityModels.Matmul(size, seed)), signature, seed, 2.0 * size * size * size, 3.0 * 4 * size * size);
    }

    /// <inheritdoc />
    public ICaseRunner PrepareCopy(long bytes, int seed)
    {
        long elements = bytes / 4;
        var signature = new CaseSignature([new CaseInput(CaseModels.InputName, [elements], InputDistribution.Normal)], [[elements]]);
        return Runner(Unpooled(UtilityModels.Copy(elements)), signature, seed, 0, 2.0 * elements * 4);
    }

    /// <inheritdoc />
    public ICaseRunner PrepareAdd(long elements, int seed)
    {
        if (elements < 1) throw new ArgumentOutOfRangeException(nameof(elements), elements, "at least one element");
        long[] shape = [elements];
        var signature = new CaseSignature(
            [new CaseInput(UtilityModels.AddInputs[0], shape, InputDistribution.Normal), new CaseInput(UtilityModels.AddInputs[1], shape, InputDistribution.Normal)],
            [shape]);
        return Runner(Unpooled(UtilityModels.Add(elements)), signature, seed, elements, 3.0 * 4 * elements);
    }

    /// <inheritdoc />
    public string DescribeAdd(long elements) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"element-wise add of two {elements}-element float32 vectors into a new one");

    /// <inheritdoc />
    public void Dispose() => pool.Dispose();

    /// <summary>Session options of this backend: its provider, threads and thread pool.</summary>
    internal SessionOptions CreateOptions() => device.CreateOptions(threads);

    /// <summary>True where outputs must be waited for after a run (a GPU).</summary>
    internal bool NeedsSynchronize => device.NeedsSynchronize;

    private SessionLease Unpooled(OnnxModel model)
    {
        using var options = CreateOptions();
        var session = new InferenceSession(model.ToBytes(), options);
        return new SessionLease(session, session.Dispose);
    }

    private OnnxCaseRunner Runner(SessionLease lease, CaseSignature signature, int seed, double flops, double bytes)
    {
        InferenceSession? generator = null;
        try
        {
            // One thread, the caller's: drawing inputs is untimed, and a thread pool per runner would only add idle threads.
            using var options = device.CreateOptions(1);
            generator = new InferenceSession(UtilityModels.RandomInputs(signature.Inputs, seed).ToBytes(), options);
            return new OnnxCaseRunner(lease, generator, device, signature, flops, bytes);
        }
        catch
        {
            generator?.Dispose();
            lease.Dispose();
            throw;
        }
    }
}
