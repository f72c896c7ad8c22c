using System.Text.Json.Serialization;

namespace Profiler.Core;

/// <summary>
/// What a profile was measured on. Two profiles (or a profile and a surrogate) belong to the same hardware when
/// their <see cref="HardwareKey"/> is equal; the date and tool version may differ.
/// </summary>
public sealed record Fingerprint
{
    /// <summary>Operating system description.</summary>
    public required string Os { get; init; }
    /// <summary>CPU model name.</summary>
    public required string CpuModel { get; init; }
    /// <summary>Logical cores the process may use.</summary>
    public required int LogicalCores { get; init; }
    /// <summary>Physical memory in bytes.</summary>
    public required long MemoryBytes { get; init; }
    /// <summary>.NET runtime version.</summary>
    public required string DotNetVersion { get; init; }
    /// <summary>Backend name: "torch" or "onnx".</summary>
    public required string Backend { get; init; }
    /// <summary>Backend library version (libtorch, ONNX Runtime).</summary>
    public required string BackendVersion { get; init; }
    /// <summary>Device as given: "cpu", "cuda:0", "dml:0".</summary>
    public required string Device { get; init; }
    /// <summary>Execution provider (ONNX Runtime) or device type (torch).</summary>
    public required string Provider { get; init; }
    /// <summary>GPU name where a GPU is used; empty otherwise.</summary>
    public string GpuName { get; init; } = "";
    /// <summary>GPU driver version where a GPU is used; empty otherwise.</summary>
    public string GpuDriver { get; init; } = "";
    /// <summary>Intra-op threads the backend was fixed to.</summary>
    public required int Threads { get; init; }
    /// <summary>Threading settings as recorded (OpenMP environment, inter-op threads).</summary>
    public IReadOnlyDictionary<string, string> ThreadSettings { get; init; } = new Dictionary<string, string>();
    /// <summary>Element type of the measured tensors.</summary>
    public required string DType { get; init; }
    /// <summary>Version of this tool.</summary>
    public required string ToolVersion { get; init; }
    /// <summary>UTC time the run started.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>
    /// The rest of what changes timings (CPU identity and flags, caches, clock, hypervisor, kernel, .NET settings);
    /// null where it was not recorded (profiles before schema 3). Not part of <see cref="HardwareKey"/>. Left out of
    /// JSON when null, so that documents written before it keep their bytes and hashes.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MachineDetails? Machine { get; init; }

    /// <summary>Value equality, thread settings compared entry by entry.</summary>
    public bool Equals(Fingerprint? other) =>
        other is not null && Os == other.Os && CpuModel == other.CpuModel && LogicalCores == other.LogicalCores
        && MemoryBytes == other.MemoryBytes && DotNetVersion == other.DotNetVersion && Backend == other.Backend
        && BackendVersion == other.BackendVersion && Device == other.Device && Provider == other.Provider
        && GpuName == other.GpuName && GpuDriver == other.GpuDriver && Threads == other.Threads && DType == other.DType
        && ToolVersion == other.ToolVersion && Date == other.Date && Equals(Machine, other.Machine)
        && ThreadSettings.Count == other.ThreadSettings.Count
        && ThreadSettings.All(p => other.ThreadSettings.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(HardwareKey, Date, ToolVersion);

    /// <summary>The parts that identify the hardware and software stack a latency belongs to.</summary>
    public string HardwareKey => $"{CpuModel}|{LogicalCores}|{Backend}|{Device}|{Provider}|{GpuName}|{Threads}|{DType}";
}
