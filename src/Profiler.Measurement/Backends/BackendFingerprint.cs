using Profiler.Core;

namespace Profiler.Measurement.Backends;

/// <summary>The fingerprint of a backend opened on this machine: the host's facts and details beside the backend's own.</summary>
public static class BackendFingerprint
{
    /// <summary>What <paramref name="backend"/> on this host measures on, dated now.</summary>
    public static Fingerprint Of(IBackend backend, HostInfo host)
    {
        var description = backend.Describe();
        return new Fingerprint
        {
            Os = host.Os, CpuModel = host.CpuModel, LogicalCores = host.LogicalCores, MemoryBytes = host.MemoryBytes,
            DotNetVersion = host.DotNetVersion, Backend = backend.Name, BackendVersion = description.Version,
            Device = backend.Device, Provider = description.Provider, GpuName = description.GpuName, GpuDriver = description.GpuDriver,
            Threads = description.Threads, ThreadSettings = description.ThreadSettings, DType = "float32",
            ToolVersion = typeof(BackendFingerprint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", Date = DateTimeOffset.UtcNow,
            Machine = host.Details,
        };
    }
}
