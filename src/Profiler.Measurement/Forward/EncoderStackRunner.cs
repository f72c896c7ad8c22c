using Profiler.Operators.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Measurement.Forward;

/// <summary>A stack of the preset's encoder blocks with random weights, timed as one forward on random inputs.</summary>
internal sealed class EncoderStackRunner : ForwardRunner<Tensor>
{
    private readonly Sequential stack;
    private readonly long[] inputShape;
    private readonly Generator generator;

    public EncoderStackRunner(int layers, int hidden, int heads, int mlpSize, int tokens, int batch, Device device, int seed) : base(device)
    {
        manual_seed(seed);
        stack = nn.Sequential(Enumerable.Range(0, layers).Select(i => ($"block{i}", (nn.Module<Tensor, Tensor>)new EncoderBlock(hidden, heads, mlpSize))).ToArray());
        stack.to(device);
        stack.eval();
        inputShape = [batch, tokens, hidden];
        generator = new Generator((ulong)seed);
        Flops = layers * EncoderBlock.Flops(tokens, hidden, mlpSize, batch);
        Bytes = layers * EncoderBlock.Bytes(tokens, hidden, mlpSize, batch);
        DrawFirst();
    }

    public override double Flops { get; }

    public override double Bytes { get; }

    protected override Tensor Draw()
    {
        using var scope = NewDisposeScope();
        return randn(inputShape, generator: generator).to(Device).MoveToOuterDisposeScope();
    }

    protected override void Forward(Tensor current) => stack.forward(current);

    protected override void Release()
    {
        stack.Dispose();
        generator.Dispose();
    }
}
