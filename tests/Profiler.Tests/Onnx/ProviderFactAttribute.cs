using Microsoft.ML.OnnxRuntime;

namespace Profiler.Tests.Onnx;

/// <summary>A fact that runs only where this build's ONNX Runtime has the execution provider; skipped with the reason elsewhere.</summary>
public sealed class ProviderFactAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="provider"/> (e.g. "CUDAExecutionProvider") is available; <paramref name="build"/> says how to get it.</summary>
    public ProviderFactAttribute(string provider, string build)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(provider))
            Skip = $"no {provider} in this build's ONNX Runtime; build with {build} on a machine with the GPU";
    }
}
