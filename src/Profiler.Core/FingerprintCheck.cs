namespace Profiler.Core;

/// <summary>
/// What a fingerprint read from a file must satisfy beyond its fields' types: no more backend threads than logical
/// cores (this tool never measures that way, so such a file was edited or made elsewhere), and text fields of a
/// sane length.
/// </summary>
public static class FingerprintCheck
{
    /// <summary>The longest text field accepted.</summary>
    public const int MostChars = 1_000;

    /// <summary>The first problem of <paramref name="f"/> as (field, message), or null when it is consistent.</summary>
    public static (string Field, string Message)? FindProblem(Fingerprint f)
    {
        if (f.Threads > f.LogicalCores)
            return ("threads", $"{f.Threads} threads on {f.LogicalCores} logical cores: this tool never measures with more threads than cores");
        foreach (var (field, text) in new[]
                 {
                     ("os", f.Os), ("cpuModel", f.CpuModel), ("dotNetVersion", f.DotNetVersion), ("backend", f.Backend),
                     ("backendVersion", f.BackendVersion), ("device", f.Device), ("provider", f.Provider), ("gpuName", f.GpuName),
                     ("gpuDriver", f.GpuDriver), ("dtype", f.DType), ("toolVersion", f.ToolVersion),
                 })
        {
            if (text.Length > MostChars) return (field, $"{text.Length} characters; at most {MostChars}");
        }
        return null;
    }
}
