using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Profiler.Measurement.Backends;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// A prepared ONNX case: a leased session, an input and an output tensor allocated once on the device and bound
/// through an IO binding, so that <see cref="Invoke"/> is one native run with no marshalling and no allocation of
/// its own. Fresh inputs are drawn on the device by a small RandomNormal session that writes into the bound input.
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

    /// <summary>Binds <paramref name="lease"/>'s session to fresh buffers of the given shapes on <paramref name="device"/>.</summary>
    public OnnxCaseRunner(SessionLease lease, InferenceSession generator, OnnxDevice device, long[] inputShape, long[] outputShape,
        double flops, double bytes)
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
        Input = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, inputShape);
        Output = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, outputShape);
        binding = lease.Session.CreateIoBinding();
        binding.BindInput(lease.Session.InputNames[0], Input);
        binding.BindOutput(lease.Session.OutputNames[0], Output);
        generatorBinding = generator.CreateIoBinding();
        generatorBinding.BindOutput(generator.OutputNames[0], Input);
        RefreshInputs();
    }

    /// <inheritdoc />
    public double Flops { get; }

    /// <inheritdoc />
    public double Bytes { get; }

    /// <summary>The bound input (tests read it back on the CPU).</summary>
    internal OrtValue Input { get; }

    /// <summary>The bound output (tests read it back on the CPU).</summary>
    internal OrtValue Output { get; }

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
        Input.Dispose();
        Output.Dispose();
        deviceAllocator?.Dispose();
        runOptions.Dispose();
        lease.Dispose();
    }
}
