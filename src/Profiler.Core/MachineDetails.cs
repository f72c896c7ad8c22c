namespace Profiler.Core;

/// <summary>
/// What else about a machine changes timings, beyond the <see cref="Fingerprint.HardwareKey"/>: the CPU's identity as
/// the OS gives it, the kernel-relevant instruction sets, cache sizes, clock, hypervisor, kernel, the .NET settings that
/// change code generation and collection, and this project's version. Recorded for <c>check</c> and for display; it
/// is not part of the hardware key, so files written before it keep matching. Every field is text and reads
/// <see cref="Unknown"/> where the OS did not say (see <see cref="MachineProbe"/>).
/// </summary>
public sealed record MachineDetails
{
    /// <summary>What a field holds when its source could not be read.</summary>
    public const string Unknown = "unknown";

    /// <summary>Longest text a field may hold (a file with a longer one is refused; the probe cuts to it).</summary>
    public const int MaxTextLength = 200;

    /// <summary>The CPU flags that select kernels in libtorch and ONNX Runtime; only these are recorded.</summary>
    public static IReadOnlyList<string> KernelFlags { get; } = ["avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16", "fma"];

    /// <summary>CPU vendor, e.g. "AuthenticAMD".</summary>
    public required string CpuVendor { get; init; }

    /// <summary>CPU family number as the OS gives it, e.g. "25".</summary>
    public required string CpuFamily { get; init; }

    /// <summary>CPU model number, e.g. "17" (not the model name, which the fingerprint holds).</summary>
    public required string CpuModelNumber { get; init; }

    /// <summary>CPU stepping, e.g. "1".</summary>
    public required string CpuStepping { get; init; }

    /// <summary>Which of <see cref="KernelFlags"/> the CPU reports, in that list's order.</summary>
    public required IReadOnlyList<string> CpuFlags { get; init; }

    /// <summary>Level-1 data cache per core as the OS gives it, e.g. "32K".</summary>
    public required string L1dCache { get; init; }

    /// <summary>Level-2 cache, e.g. "1024K".</summary>
    public required string L2Cache { get; init; }

    /// <summary>Level-3 cache, e.g. "32768K".</summary>
    public required string L3Cache { get; init; }

    /// <summary>Base clock in MHz with its source, e.g. "2450 (cpufreq)".</summary>
    public required string BaseMhz { get; init; }

    /// <summary>Clock when the run started in MHz with its source, e.g. "2596.138 (cpuinfo)".</summary>
    public required string CurrentMhz { get; init; }

    /// <summary>"present (…)" with what showed it, or "none detected".</summary>
    public required string Hypervisor { get; init; }

    /// <summary>Kernel release, e.g. "6.1.0-18-amd64".</summary>
    public required string KernelRelease { get; init; }

    /// <summary>.NET tiered compilation: "on" or "off" and where that came from.</summary>
    public required string TieredCompilation { get; init; }

    /// <summary>.NET tiered profile-guided optimisation: "on" or "off" and where that came from.</summary>
    public required string TieredPgo { get; init; }

    /// <summary>Server garbage collector: "on" or "off".</summary>
    public required string ServerGc { get; init; }

    /// <summary>Concurrent (background) garbage collection: "on" or "off", with the latency mode.</summary>
    public required string ConcurrentGc { get; init; }

    /// <summary>This project's version (informational: with the commit where the build knew it).</summary>
    public required string ProjectVersion { get; init; }

    /// <summary>Every field by its file name, in file order (the flags joined by spaces, "none" when empty).</summary>
    public IReadOnlyList<(string Name, string Value)> Fields() =>
    [
        ("cpuVendor", CpuVendor), ("cpuFamily", CpuFamily), ("cpuModelNumber", CpuModelNumber), ("cpuStepping", CpuStepping),
        ("cpuFlags", CpuFlags.Count == 0 ? "none" : string.Join(' ', CpuFlags)),
        ("l1dCache", L1dCache), ("l2Cache", L2Cache), ("l3Cache", L3Cache), ("baseMhz", BaseMhz), ("currentMhz", CurrentMhz),
        ("hypervisor", Hypervisor), ("kernelRelease", KernelRelease), ("tieredCompilation", TieredCompilation),
        ("tieredPgo", TieredPgo), ("serverGc", ServerGc), ("concurrentGc", ConcurrentGc), ("projectVersion", ProjectVersion),
    ];

    /// <summary>
    /// The first problem of these details with the field it is in, or null: every text within <see cref="MaxTextLength"/>
    /// characters and not empty, every flag one of <see cref="KernelFlags"/> and none twice.
    /// </summary>
    public (string Field, string Problem)? FindProblem()
    {
        foreach (var (name, value) in Fields().Where(f => f.Name != "cpuFlags"))
        {
            if (value.Length == 0) return (name, $"is empty (write \"{Unknown}\" for a value that was not read)");
            if (value.Length > MaxTextLength) return (name, $"{value.Length} characters, more than {MaxTextLength}");
        }
        for (int i = 0; i < CpuFlags.Count; i++)
        {
            if (!KernelFlags.Contains(CpuFlags[i]))
                return ($"cpuFlags[{i}]", $"\"{PrintableText.Line(CpuFlags[i][..Math.Min(CpuFlags[i].Length, 40)])}\" is not a recorded flag (known: {string.Join(", ", KernelFlags)})");
            if (CpuFlags.Take(i).Contains(CpuFlags[i])) return ($"cpuFlags[{i}]", $"\"{CpuFlags[i]}\" appears twice");
        }
        return null;
    }

    /// <summary>Value equality, the flags compared in order.</summary>
    public bool Equals(MachineDetails? other) => other is not null && Fields().SequenceEqual(other.Fields());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CpuVendor, CpuModelNumber, KernelRelease, ProjectVersion);
}
