using System.Text.RegularExpressions;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// What a GPU provider library that did not load was missing, read from the loader's error that ONNX Runtime logs
/// ("Failed to load library …providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: …"):
/// the exception it throws says only "Failed to load shared library". What the missing file stands for comes from
/// its own name and major version, never from a table of what some release once needed.
/// </summary>
internal static partial class ProviderLoadError
{
    /// <summary>
    /// One clause naming what is missing and what that means, e.g. "libcublasLt.so.13: cannot open shared object
    /// file (No such file or directory); this build of ONNX Runtime (P 1.32.0) needs CUDA 13", or null when
    /// <paramref name="log"/> holds no loader error.
    /// </summary>
    public static string? Describe(IEnumerable<string> log, string build)
    {
        var failure = log.Select(m => LoadFailure().Match(m)).LastOrDefault(m => m.Success);
        if (failure is null) return null;
        var error = failure.Groups["error"].Value.Trim();
        var missing = MissingFile().Match(error);
        if (!missing.Success) return $"{Path.GetFileName(failure.Groups["library"].Value)}: {error}";
        var file = missing.Groups["file"].Value;
        var reason = missing.Groups["reason"].Value.Trim();
        var need = Need(file);
        return $"{file}: cannot open shared object file{(reason.Length > 0 ? $" ({reason})" : "")}; this build of ONNX Runtime ({build}) needs {need}";
    }

    /// <summary>What a missing library stands for: the CUDA runtime or cuBLAS carry the CUDA major, cuDNN its own.</summary>
    private static string Need(string file)
    {
        var soname = Soname().Match(file);
        if (!soname.Success) return file;
        var (name, major) = (soname.Groups["name"].Value, soname.Groups["major"].Value);
        return name switch
        {
            "cuda" => $"an NVIDIA driver, which brings {file}",
            "cudart" or "cublas" or "cublasLt" => $"CUDA {major} on the library path",
            _ when name.StartsWith("cudnn", StringComparison.Ordinal) => $"cuDNN {major} on the library path",
            _ => $"{file} on the library path",
        };
    }

    [GeneratedRegex(@"Failed to load library (?<library>\S+) with error: (?<error>[^\r\n]+)")]
    private static partial Regex LoadFailure();

    [GeneratedRegex(@"^(?<file>[^:\s]+): cannot open shared object file:?(?<reason>.*)$")]
    private static partial Regex MissingFile();

    [GeneratedRegex(@"^lib(?<name>[A-Za-z_]+)\.so\.(?<major>\d+)")]
    private static partial Regex Soname();
}
