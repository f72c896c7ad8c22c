using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;

namespace Profiler.Cli.Commands;

/// <summary>The one place that maps backend names to types.</summary>
internal static class BackendFactory
{
    public static IBackend Open(string backend, string device, int threads) => backend switch
    {
        "torch" => new TorchBackend(device, threads),
        "onnx" => new Profiler.Backends.Onnx.OnnxBackend(device, threads),
        _ => throw new InputException($"unknown backend '{backend}' (known: torch, onnx)"),
    };
}
