using System.Runtime.InteropServices;

namespace Profiler.Core;

/// <summary>Facts about the machine this process runs on, for the fingerprint.</summary>
/// <param name="Os">Operating system description.</param>
/// <param name="CpuModel">CPU model name.</param>
/// <param name="LogicalCores">Logical cores available to this process.</param>
/// <param name="MemoryBytes">Physical memory.</param>
/// <param name="DotNetVersion">Runtime description.</param>
/// <param name="Details">The rest of what changes timings (see <see cref="MachineDetails"/>); null when not read.</param>
public sealed record HostInfo(string Os, string CpuModel, int LogicalCores, long MemoryBytes, string DotNetVersion, MachineDetails? Details = null)
{
    /// <summary>Reads the facts from the OS (Linux: /proc and /sys; elsewhere what .NET reports).</summary>
    public static HostInfo Collect() => new(
        RuntimeInformation.OSDescription,
        ReadCpuModel(),
        Environment.ProcessorCount,
        ReadMemory(),
        RuntimeInformation.FrameworkDescription,
        MachineProbe.Collect());

    private static string ReadCpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.Contains(':')) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        return $"{RuntimeInformation.ProcessArchitecture} (model not reported)";
    }

    private static long ReadMemory()
    {
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
        {
            var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is { Length: >= 2 } && long.TryParse(parts[1], out var kib)) return kib * 1024;
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
