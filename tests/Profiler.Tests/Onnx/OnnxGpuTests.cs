using Profiler.Backends.Onnx;
using Profiler.Core;

namespace Profiler.Tests.Onnx;

/// <summary>The GPU paths end to end: device buffers, inputs drawn on the device, synchronised runs.</summary>
public sealed class OnnxGpuTests
{
    [ProviderFact("CUDAExecutionProvider", "-p:OnnxPackage=cuda")]
    public void Cuda_runs_every_kind_of_case() => RunsEveryKind("cuda:0", "CUDAExecutionProvider");

    [ProviderFact("DmlExecutionProvider", "-p:OnnxPackage=dml")]
    public void DirectMl_runs_every_kind_of_case() => RunsEveryKind("dml:0", "DmlExecutionProvider");

    private static void RunsEveryKind(string device, string provider)
    {
        using var backend = new OnnxBackend(device, 1);
        Assert.Equal(provider, backend.Describe().Provider);
        OperatorCase[] cases =
        [
            new(OperatorKind.Block, 64, 64, 128, 4, 512, 1, "float32"),
            new(OperatorKind.Attention, 64, 64, 128, 4, 512, 1, "float32", "weights"),
            new(OperatorKind.Merge, 64, 32, 128, 4, 512, 1, "float32"),
            new(OperatorKind.Prune, 64, 16, 128, 4, 512, 1, "float32", "aligned"),
        ];
        foreach (var c in cases)
        {
            using var runner = backend.Prepare(c, 1);
            runner.RefreshInputs();
            runner.Invoke();
            runner.Synchronize();
        }
        using var matmul = backend.PrepareMatmul(256, 1);
        matmul.Invoke();
        matmul.Synchronize();
    }
}
