using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Measurement.Backends;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// A prepared ONNX case: a leased session, its input and output tensors allocated once on the device and bound
/// through an IO binding, so that <see cref="Invoke"/> is one native run with no marshalling and no allocation of
/// its own. Fresh inputs are drawn on the device by a small random session that writes into the bound inputs.
/// </summary>
internal sealed class OnnxCaseRunner : ICaseRunner
{
    private readonly SessionLease lease;
    private readonly InferenceSession generator;
    private readonly OrtIoBinding binding;
    private readonly OrtIoBinding generatorBinding;
    private readonly RunOptions runOptions = new();
    private readonly OrtAllocator? deviceAllocator;
    private readonly bool synchronize;

    /// <summary>Binds <paramref name="lease"/>'s session to fresh buffers of <paramref name="signature"/>'s shapes on <paramref name="device"/>.</summary>
    public OnnxCaseRunner(SessionLease lease, InferenceSession generator, OnnxDevice device, CaseSignature signature, double flops, double bytes)
    {
        this.lease = lease;
        this.generator = generator;
        Flops = flops;
        Bytes = bytes;
        synchronize = device.NeedsSynchronize;
        var memory = device.MemoryInfo();
        // On a GPU the buffers come from the session's device allocator; on the CPU from ONNX Runtime's default one.
        deviceAllocator = device.Kind == OnnxProviderKind.Cpu ? null : new OrtAllocator(lease.Session, memory);
        var allocator = deviceAllocator ?? OrtAllocator.DefaultInstance;
        Inputs = signature.Inputs.Select(i => OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, i.Shape)).ToArray();
        Outputs = signature.Outputs.Select(shape => OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, shape)).ToArray();
        binding = lease.Session.CreateIoBinding();
        generatorBinding = generator.CreateIoBinding();
        for (int i = 0; i < Inputs.Count; i++)
        {
            binding.BindInput(signature.Inputs[i].Name, Inputs[i]);
            // The generator's outputs come in the order of the case's inputs.
            generatorBinding.BindOutput(generator.OutputNames[i], Inputs[i]);
        }
        for (int i = 0; i < Outputs.Count; i++) binding.BindOutput(lease.Session.OutputNames[i], Outputs[i]);
        RefreshInputs();
    }

    /// <inheritdoc />
    public double Flops { get; }

    /// <inheritdoc />
    public double Bytes { get; }

    /// <summary>The bound inputs, in graph order (tests read them back on the CPU).</summary>
    internal IReadOnlyList<OrtValue> Inputs { get; }

    /// <summary>The bound outputs, in graph order (tests read them back on the CPU).</summary>
    internal IReadOnlyList<OrtValue> Outputs { get; }

    /// <inheritdoc />
    public void RefreshInputs()
    {
        generator.RunWithBinding(runOptions, generatorBinding);
        if (synchronize) generatorBinding.SynchronizeBoundOutputs();
    }

    /// <inheritdoc />
    public void Invoke() => lease.Session.RunWithBinding(runOptions, binding);

    /// <inheritdoc />
    public void Synchronize()
    {
        if (synchronize) binding.SynchronizeBoundOutputs();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        binding.Dispose();
        generatorBinding.Dispose();
        generator.Dispose();
        foreach (var value in Inputs.Concat(Outputs)) value.Dispose();
        deviceAllocator?.Dispose();
        runOptions.Dispose();
        lease.Dispose();
    }
}
