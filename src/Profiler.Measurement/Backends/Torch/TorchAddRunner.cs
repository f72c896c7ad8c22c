using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>
/// The reference suite's per-call case on torch: one vector added in place to another, with the scalar factor made
/// once. An invocation allocates nothing managed (no tensor wrapper, no dispose scope), so its time is the call
/// through TorchSharp and libtorch's dispatcher, not the .NET allocator's: with a new output tensor per call the
/// one-element case read 1.2 µs in a fresh process and 15% less in one that had loaded a surrogate first.
/// </summary>
internal sealed class TorchAddRunner : ICaseRunner
{
    private readonly Tensor left;
    private readonly Tensor right;
    private readonly Scalar one = 1.0f;
    private readonly Generator generator;
    private readonly Device device;

    /// <summary>Two random vectors of <paramref name="elements"/> on <paramref name="device"/>, drawn from <paramref name="seed"/>.</summary>
    public TorchAddRunner(long elements, Device device, int seed)
    {
        if (elements < 1) throw new ArgumentOutOfRangeException(nameof(elements), elements, "at least one element");
        this.device = device;
        generator = new Generator((ulong)seed);
        left = randn([elements], generator: generator).to(device);
        right = randn([elements], generator: generator).to(device);
        Flops = elements;
        Bytes = 3.0 * 4 * elements;
    }

    /// <summary>The case in words.</summary>
    public static string Describe(long elements) =>
        string.Create(CultureInfo.InvariantCulture, $"in-place add of a {elements}-element float32 vector to another (nothing allocated per call)");

    public double Flops { get; }

    public double Bytes { get; }

    public void RefreshInputs()
    {
        using var scope = NewDisposeScope();
        left.copy_(randn(left.shape, generator: generator));
        right.copy_(randn(right.shape, generator: generator));
    }

    public void Invoke() => left.add_(right, one);

    public void Synchronize()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    public void Dispose()
    {
        left.Dispose();
        right.Dispose();
        one.Dispose();
        generator.Dispose();
    }
}
