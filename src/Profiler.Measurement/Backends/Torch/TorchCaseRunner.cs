using TorchSharp;
using Profiler.Core;
using Profiler.Operators;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>
/// A prepared torch case: its module or function, random inputs redrawn on request, and a forward pass under
/// no_grad whose temporaries are freed inside the invocation (the model pays that cost too).
/// </summary>
internal sealed class TorchCaseRunner : ICaseRunner
{
    /// <summary>What the torch backend can run.</summary>
    public static IReadOnlyList<OperatorKind> Supported { get; } =
    [
        OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block,
        OperatorKind.Score, OperatorKind.Prune, OperatorKind.Merge, OperatorKind.Pool, OperatorKind.Reweight,
    ];

    private readonly Func<Tensor[], object> forward;
    private readonly Func<Generator, Tensor>[] draws;
    private readonly Device device;
    private readonly IDisposable? owner;
    private readonly Generator generator;
    private Tensor[] inputs;

    /// <summary>Creates a runner; <paramref name="draws"/> make each input (on the CPU, from the runner's generator).</summary>
    public TorchCaseRunner(Func<Tensor[], object> forward, Func<Generator, Tensor>[] draws, Device device, IDisposable? owner,
        int seed, double flops, double bytes)
    {
        this.forward = forward;
        this.draws = draws;
        this.device = device;
        this.owner = owner;
        generator = new Generator((ulong)seed);
        Flops = flops;
        Bytes = bytes;
        inputs = Draw();
    }

    public double Flops { get; }

    public double Bytes { get; }

    /// <summary>Prepares any supported case.</summary>
    public static TorchCaseRunner Create(OperatorCase c, Device device, int seed)
    {
        if (c.DType != "float32") throw new InputException($"{c.Key}: the torch backend profiles float32 only");
        manual_seed(seed);
        double flops = OperatorCosts.Flops(c), bytes = OperatorCosts.Bytes(c);
        var (forward, draws, owner) = c.Operator switch
        {
            OperatorKind.Attention or OperatorKind.Mlp or OperatorKind.LayerNorm or OperatorKind.Block => TorchLayerCases.Build(c, device),
            _ => TorchReductionCases.Build(c, device),
        };
        return new TorchCaseRunner(forward, draws, device, owner, seed, flops, bytes);
    }

    /// <summary>A square matrix product: the drift sentinel and the FLOP/s ceiling.</summary>
    public static TorchCaseRunner Matmul(int size, Device device, int seed)
    {
        manual_seed(seed);
        var right = randn(size, size).to(device);
        return new TorchCaseRunner(x => matmul(x[0], right), [g => randn([size, size], generator: g)], device, right, seed,
            2.0 * size * size * size, 3.0 * 4 * size * size);
    }

    /// <summary>A copy of <paramref name="bytes"/> bytes: the bandwidth ceiling.</summary>
    public static TorchCaseRunner Copy(long bytes, Device device, int seed)
    {
        long elements = bytes / 4;
        var target = empty(elements, device: device);
        return new TorchCaseRunner(x => target.copy_(x[0]), [g => randn([elements], generator: g)], device, target, seed, 0, 2.0 * elements * 4);
    }

    public void RefreshInputs()
    {
        var old = inputs;
        inputs = Draw();
        foreach (var t in old) t.Dispose();
    }

    public void Invoke()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        forward(inputs);
    }

    public void Synchronize()
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    public void Dispose()
    {
        foreach (var t in inputs) t.Dispose();
        owner?.Dispose();
        generator.Dispose();
    }

    private Tensor[] Draw()
    {
        using var scope = NewDisposeScope();
        return draws.Select(d => d(generator).to(device).MoveToOuterDisposeScope()).ToArray();
    }
}
