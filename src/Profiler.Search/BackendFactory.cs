using Profiler.Backends.Onnx;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;

namespace Profiler.Search;

/// <summary>The one place that maps backend names to types.</summary>
public static class BackendFactory
{
    /// <summary>The TorchSharp backend's name.</summary>
    public const string Torch = "torch";

    /// <summary>The ONNX Runtime backend's name.</summary>
    public const string Onnx = "onnx";

    /// <summary>True when <paramref name="name"/> names a backend.</summary>
    public static bool IsName(string name) => name is Torch or Onnx;

    /// <summary><paramref name="text"/> as a backend name (trimmed, lower case); another name is bad input.</summary>
    public static string Name(string text)
    {
        var name = text.Trim().ToLowerInvariant();
        return IsName(name) ? name : throw Unknown(text);
    }

    /// <summary>Backend names separated by commas ("torch,onnx"), each once; none is bad input.</summary>
    public static IReadOnlyList<string> ParseList(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Name).Distinct().ToList();
        return names.Count > 0 ? names : throw new InputException("--backends names no runtime");
    }

    /// <summary>The backend a plan is measured on: <paramref name="given"/>, else the one <paramref name="surrogate"/> was profiled on.</summary>
    public static string NameOr(string? given, Profiler.CostModel.Surrogate.LatencySurrogate surrogate) =>
        Name(given ?? surrogate.Document.Profile.Fingerprint.Backend);

    /// <summary>Opens the backend named <paramref name="backend"/>; another name is bad input.</summary>
    public static IBackend Open(string backend, string device, int threads) => backend switch
    {
        Torch => new TorchBackend(device, threads),
        Onnx => new OnnxBackend(device, threads),
        _ => throw Unknown(backend),
    };

    private static InputException Unknown(string backend) => new($"unknown backend '{PrintableText.Line(backend)}' (known: {Torch}, {Onnx})");
}
