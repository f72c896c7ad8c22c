using Profiler.Backends.Onnx.Runtime;

namespace Profiler.Tests.Onnx;

/// <summary>What a GPU provider that did not load was missing, read from the loader's error in ONNX Runtime's log.</summary>
public sealed class ProviderLoadErrorTests
{
    private const string Build = "Microsoft.ML.OnnxRuntime.Gpu 1.32.0";

    private static string Log(string error) =>
        "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2059 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() "
        + "[ONNXRuntimeError] : 1 : FAIL : Failed to load library /app/libonnxruntime_providers_cuda.so with error: " + error;

    [Theory]
    [InlineData("libcublasLt.so.13: cannot open shared object file: No such file or directory",
        "libcublasLt.so.13: cannot open shared object file (No such file or directory); this build of ONNX Runtime (Microsoft.ML.OnnxRuntime.Gpu 1.32.0) needs CUDA 13 on the library path")]
    [InlineData("libcudart.so.12: cannot open shared object file: No such file or directory", "needs CUDA 12 on the library path")]
    [InlineData("libcudnn_ops.so.9: cannot open shared object file: No such file or directory", "needs cuDNN 9 on the library path")]
    [InlineData("libcuda.so.1: cannot open shared object file: No such file or directory", "needs an NVIDIA driver, which brings libcuda.so.1")]
    [InlineData("libcurand.so.10: cannot open shared object file: No such file or directory", "needs libcurand.so.10 on the library path")]
    [InlineData("/usr/lib/libcublas.so.13: undefined symbol: cublasLtFoo", "libonnxruntime_providers_cuda.so: /usr/lib/libcublas.so.13: undefined symbol: cublasLtFoo")]
    public void The_loader_error_names_what_is_missing(string error, string expected)
    {
        var clause = ProviderLoadError.Describe(["an unrelated message", Log(error)], Build);
        Assert.NotNull(clause);
        Assert.Contains(expected, clause);
    }

    [Fact]
    public void Without_a_loader_error_there_is_nothing_to_say()
    {
        Assert.Null(ProviderLoadError.Describe([], Build));
        Assert.Null(ProviderLoadError.Describe(["Some other failure"], Build));
    }
}
