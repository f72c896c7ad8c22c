using System.Globalization;
using Profiler.Core;
using Profiler.Measurement.Backends;
using TorchSharp;

namespace Profiler.Measurement.Forward;

/// <summary>
/// A backend whose one case is a whole model: a <see cref="WorkloadKind.Layers"/> case runs a stack of L encoder
/// blocks. Everything else (fingerprint facts, the drift sentinel, the ceilings) comes from the torch backend it
/// wraps, so the whole-model forward is timed exactly as the operators were.
/// </summary>
internal sealed class EncoderStackBackend(IBackend torchBackend) : IBackend
{
    public string Name => torchBackend.Name;

    public string Device => torchBackend.Device;

    public IReadOnlyList<OperatorKind> SupportedOperators { get; } = [OperatorKind.Block];

    /// <summary>The case that stands for a forward through all layers of <paramref name="shape"/>.</summary>
    public static OperatorCase ModelCase(ModelShape shape, int tokens, int batch) =>
        new ModelWorkload(WorkloadKind.Layers, shape.Layers).Case(shape, tokens, batch);

    public BackendDescription Describe() => torchBackend.Describe();

    public ICaseRunner Prepare(OperatorCase c, int seed)
    {
        int layers = ModelWorkload.Of(c, WorkloadKind.Layers).Index;
        var device = torch.device(torchBackend.Device == "cuda" ? "cuda:0" : torchBackend.Device);
        return new EncoderStackRunner(layers, c.Hidden, c.Heads, c.MlpSize, c.TokensIn, c.Batch, device, seed);
    }

    public ICaseRunner PrepareMatmul(int size, int seed) => torchBackend.PrepareMatmul(size, seed);

    public ICaseRunner PrepareCopy(long bytes, int seed) => torchBackend.PrepareCopy(bytes, seed);

    public ICaseRunner PrepareAdd(long elements, int seed) => torchBackend.PrepareAdd(elements, seed);

    /// <inheritdoc />
    public string DescribeAdd(long elements) => torchBackend.DescribeAdd(elements);

    public void Dispose() => torchBackend.Dispose();
}
