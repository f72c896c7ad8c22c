using Profiler.Measurement.Backends;
using Profiler.Operators.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Measurement.Forward;

/// <summary>
/// A whole-model forward as the engine times it: a stack of the preset's encoder blocks with random weights, in
/// inference mode, on fresh random inputs, temporaries freed inside each invocation (as in the operator cases).
/// </summary>
internal sealed class EncoderStackRunner : ICaseRunner
{
    private readonly Sequential stack;
    private readonly long[] inputShape;
    private readonly Device device;
    private readonly Generator generator;
    private Tensor input;

    public EncoderStackRunner(int layers, int hidden, int heads, int mlpSize, int tokens, int batch, Device device, int seed)
    {
        manual_seed(seed);
        stack = nn.Sequential(Enumerable.Range(0, layers).Select(i => ($"block{i}", (nn.Module<Tensor, Tensor>)new EncoderBlock(hidden, heads, mlpSize))).ToArray());
        stack.to(device);
        stack.eval();
        inputShape = [batch, tokens, hidden];
        this.device = device;
        generator = new Generator((ulong)seed);
        Flops = layers * EncoderBlock.Flops(tokens, hidden, mlpSize, batch);
        Bytes = layers * EncoderBlock.Bytes(tokens, hidden, mlpSize, batch);
        input = Draw();
    }

    public double Flops { get; }

    public double Bytes { get; }

    public void RefreshInputs()
    {
        var old = input;
        input = Draw();
        old.Dispose();
    }

    public void Invoke()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        stack.forward(input);
    }

    public void Synchronize()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    public void Dispose()
    {
        input.Dispose();
        stack.Dispose();
        generator.Dispose();
    }

    private Tensor Draw()
    {
        using var scope = NewDisposeScope();
        return randn(inputShape, generator: generator).to(device).MoveToOuterDisposeScope();
    }
}
