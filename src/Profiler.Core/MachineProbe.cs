using System.Globalization;
using System.Reflection;
using System.Runtime;

namespace Profiler.Core;

/// <summary>
/// Reads <see cref="MachineDetails"/> from the OS (Linux: /proc and /sys) and from the running .NET runtime. Every
/// read is defensive: a file that is missing, unreadable or not in the expected form gives
/// <see cref="MachineDetails.Unknown"/>, and nothing here throws.
/// </summary>
public static class MachineProbe
{
    private const string CacheFolder = "sys/devices/system/cpu/cpu0/cache";
    private const string FrequencyFolder = "sys/devices/system/cpu/cpu0/cpufreq";

    /// <summary>The details of this machine and process.</summary>
    public static MachineDetails Collect() => Collect("/", Environment.GetEnvironmentVariable);

    /// <summary>
    /// The details with the OS files read under <paramref name="root"/> (a folder laid out like "/": tests point it at
    /// a fake one) and the .NET settings from this process, environment variables through <paramref name="environment"/>.
    /// </summary>
    public static MachineDetails Collect(string root, Func<string, string?> environment)
    {
        var cpu = CpuInfo(Read(root, "proc/cpuinfo"));
        var flags = cpu.TryGetValue("flags", out var line) ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet() : [];
        string cpuMhz = cpu.TryGetValue("cpu MHz", out var mhz) && mhz.Length > 0 ? $"{mhz} (cpuinfo)" : MachineDetails.Unknown;
        return new MachineDetails
        {
            CpuVendor = Text(cpu.GetValueOrDefault("vendor_id")),
            CpuFamily = Text(cpu.GetValueOrDefault("cpu family")),
            CpuModelNumber = Text(cpu.GetValueOrDefault("model")),
            CpuStepping = Text(cpu.GetValueOrDefault("stepping")),
            CpuFlags = MachineDetails.KernelFlags.Where(flags.Contains).ToList(),
            L1dCache = Cache(root, level: "1", type: "Data"),
            L2Cache = Cache(root, level: "2", type: "Unified"),
            L3Cache = Cache(root, level: "3", type: "Unified"),
            BaseMhz = Kilohertz(Read(root, $"{FrequencyFolder}/base_frequency")) ?? cpuMhz,
            CurrentMhz = Kilohertz(Read(root, $"{FrequencyFolder}/scaling_cur_freq")) ?? cpuMhz,
            Hypervisor = Hypervisor(root, flags.Contains("hypervisor")),
            KernelRelease = Text(Read(root, "proc/sys/kernel/osrelease")),
            TieredCompilation = Switch("System.Runtime.TieredCompilation", "TieredCompilation", environment, defaultOn: true),
            TieredPgo = Switch("System.Runtime.TieredPGO", "TieredPGO", environment, defaultOn: true),
            ServerGc = GCSettings.IsServerGC ? "on" : "off",
            ConcurrentGc = ConcurrentGc(),
            ProjectVersion = Text(typeof(MachineProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion),
        };
    }

    // The first processor's block of /proc/cpuinfo as "key: value" pairs (keys trimmed; later processors repeat it).
    private static Dictionary<string, string> CpuInfo(string? text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null) return fields;
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0) break;
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        return fields;
    }

    private static string Cache(string root, string level, string type)
    {
        try
        {
            var folder = Path.Combine(root, CacheFolder);
            if (!Directory.Exists(folder)) return MachineDetails.Unknown;
            foreach (var index in Directory.EnumerateDirectories(folder, "index*").Order(StringComparer.Ordinal))
            {
                if (Read(index, "level") == level && Read(index, "type") == type) return Text(Read(index, "size"));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Unreadable sysfs: the size stays unknown.
        }
        return MachineDetails.Unknown;
    }

    // cpufreq files hold kHz.
    private static string? Kilohertz(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var khz) && khz > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{khz / 1000.0:0.###} (cpufreq)")
            : null;

    private static string Hypervisor(string root, bool flag)
    {
        var type = Read(root, "sys/hypervisor/type");
        var vendor = Read(root, "sys/class/dmi/id/sys_vendor");
        var seen = new List<string>();
        if (flag) seen.Add("cpuinfo flag");
        if (!string.IsNullOrEmpty(type)) seen.Add($"type {type}");
        // The system vendor alone names a hypervisor only beside the other signs (bare metal has one too).
        if (seen.Count > 0 && !string.IsNullOrEmpty(vendor)) seen.Add($"system vendor {vendor}");
        return seen.Count == 0 ? "none detected" : Text($"present ({string.Join("; ", seen)})");
    }

    // A runtime switch: an environment variable wins over runtimeconfig.json, which wins over the default.
    private static string Switch(string appContextName, string knob, Func<string, string?> environment, bool defaultOn)
    {
        foreach (var prefix in new[] { "DOTNET_", "COMPlus_" })
        {
            var value = environment(prefix + knob);
            if (value is not null) return Text($"{(value.Trim() == "0" ? "off" : "on")} ({prefix}{knob}={value})");
        }
        var data = AppContext.GetData(appContextName);
        if (data is bool b) return b ? "on (runtimeconfig)" : "off (runtimeconfig)";
        if (data is string s && bool.TryParse(s, out var parsed)) return parsed ? "on (runtimeconfig)" : "off (runtimeconfig)";
        return defaultOn ? "on (default)" : "off (default)";
    }

    private static string ConcurrentGc()
    {
        var mode = GCSettings.LatencyMode;
        // Batch is what the runtime picks when concurrent collection is turned off.
        return $"{(mode == GCLatencyMode.Batch ? "off" : "on")} (latency mode {mode})";
    }

    private static string? Read(string folder, string relative)
    {
        try
        {
            var path = Path.Combine(folder, relative);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    // Printable, one line, within the length a file may hold; "unknown" for nothing.
    private static string Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return MachineDetails.Unknown;
        var line = PrintableText.Line(value);
        if (line.Length <= MachineDetails.MaxTextLength) return line;
        int cut = MachineDetails.MaxTextLength;
        // Never split a surrogate pair: half of one is not text.
        if (char.IsHighSurrogate(line[cut - 1])) cut--;
        return line[..cut];
    }
}
