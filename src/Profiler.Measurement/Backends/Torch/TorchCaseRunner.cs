using TorchSharp;
using Profiler.Core;
using Profiler.Operators;
using Profiler.Operators.Layers;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>
/// A prepared torch case: a module with random weights, random inputs redrawn on request, and a forward pass
/// under no_grad whose temporaries are freed inside the invocation (the model pays that cost too).
/// </summary>
internal sealed class TorchCaseRunner : ICaseRunner
{
    public static IReadOnlyList<OperatorKind> Supported { get; } =
        [OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block];

    private readonly Func<Tensor, Tensor> forward;
    private readonly long[] inputShape;
    private readonly Device device;
    private readonly IDisposable? owner;
    private readonly Generator generator;
    private Tensor input;

    private TorchCaseRunner(Func<Tensor, Tensor> forward, long[] inputShape, Device device, IDisposable? owner, int seed, double flops, double bytes)
    {
        this.forward = forward;
        this.inputShape = inputShape;
        this.device = device;
        this.owner = owner;
        generator = new Generator((ulong)seed);
        Flops = flops;
        Bytes = bytes;
        input = Draw();
    }

    public double Flops { get; }

    public double Bytes { get; }

    public static TorchCaseRunner Create(OperatorCase c, Device device, int seed)
    {
        if (c.DType != "float32") throw new InputException($"{c.Key}: the torch backend profiles float32 only");
        manual_seed(seed);
        long[] shape = [c.Batch, c.TokensIn, c.Hidden];
        double flops = OperatorCosts.Flops(c), bytes = OperatorCosts.Bytes(c);
        switch (c.Operator)
        {
            case OperatorKind.Attention:
                var attention = new Attention(c.Hidden, c.Heads).to(device);
                attention.eval();
                return new TorchCaseRunner(attention.forward, shape, device, attention, seed, flops, bytes);
            case OperatorKind.Mlp:
                var mlp = new Mlp(c.Hidden, c.MlpSize).to(device);
                mlp.eval();
                return new TorchCaseRunner(mlp.forward, shape, device, mlp, seed, flops, bytes);
            case OperatorKind.LayerNorm:
                var norm = nn.LayerNorm(c.Hidden).to(device);
                norm.eval();
                return new TorchCaseRunner(norm.forward, shape, device, norm, seed, flops, bytes);
            case OperatorKind.Block:
                var block = new EncoderBlock(c.Hidden, c.Heads, c.MlpSize).to(device);
                block.eval();
                return new TorchCaseRunner(block.forward, shape, device, block, seed, flops, bytes);
            default:
                throw new InputException($"the torch backend cannot run '{c.Operator.Name()}' yet");
        }
    }

    public static TorchCaseRunner Matmul(int size, Device device, int seed)
    {
        manual_seed(seed);
        var right = randn(size, size).to(device);
        return new TorchCaseRunner(x => matmul(x, right), [size, size], device, right, seed,
            2.0 * size * size * size, 3.0 * 4 * size * size);
    }

    public static TorchCaseRunner Copy(long bytes, Device device, int seed)
    {
        long elements = bytes / 4;
        var target = empty(elements, device: device);
        return new TorchCaseRunner(x => target.copy_(x), [elements], device, target, seed, 0, 2.0 * elements * 4);
    }

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
        forward(input);
    }

    public void Synchronize()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    public void Dispose()
    {
        input.Dispose();
        owner?.Dispose();
        generator.Dispose();
    }

    private Tensor Draw()
    {
        using var scope = NewDisposeScope();
        return randn(inputShape, generator: generator).to(device).MoveToOuterDisposeScope();
    }
}
