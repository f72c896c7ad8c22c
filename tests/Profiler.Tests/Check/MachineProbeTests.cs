using System.Text;
using Profiler.Core;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Check;

/// <summary>
/// The machine details are read from /proc and /sys defensively: a fake root gives exactly its values, a missing or
/// garbled file gives "unknown", nothing throws, and what comes out always passes the file's own rules.
/// </summary>
public sealed class MachineProbeTests
{
    private const string CpuInfo = """
        processor	: 0
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 143
        model name	: Intel(R) Xeon(R) Platinum 8480+
        stepping	: 8
        cpu MHz		: 2000.000
        flags		: fpu sse2 avx2 fma avx512f avx512_vnni avx512_bf16 amx_tile amx_bf16 amx_int8 hypervisor

        processor	: 1
        vendor_id	: SomethingElse
        flags		: fpu
        """;

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void A_fake_root_gives_its_own_values()
    {
        using var root = new TempFolder();
        Write(root, "proc/cpuinfo", CpuInfo);
        Write(root, "proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        Write(root, "sys/hypervisor/type", "xen\n");
        Write(root, "sys/class/dmi/id/sys_vendor", "Amazon EC2\n");
        Write(root, "sys/devices/system/cpu/cpu0/cpufreq/base_frequency", "2000000\n");
        Write(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "3412345\n");
        foreach (var (index, level, type, size) in new[] { ("index0", "1", "Data", "48K"), ("index1", "1", "Instruction", "32K"), ("index2", "2", "Unified", "2048K"), ("index3", "3", "Unified", "107520K") })
        {
            Write(root, $"sys/devices/system/cpu/cpu0/cache/{index}/level", level + "\n");
            Write(root, $"sys/devices/system/cpu/cpu0/cache/{index}/type", type + "\n");
            Write(root, $"sys/devices/system/cpu/cpu0/cache/{index}/size", size + "\n");
        }

        var d = MachineProbe.Collect(root.Path, NoEnvironment);

        Assert.Equal("GenuineIntel", d.CpuVendor);
        Assert.Equal("6", d.CpuFamily);
        Assert.Equal("143", d.CpuModelNumber);
        Assert.Equal("8", d.CpuStepping);
        Assert.Equal(["avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16", "fma"], d.CpuFlags);
        Assert.Equal(("48K", "2048K", "107520K"), (d.L1dCache, d.L2Cache, d.L3Cache));
        Assert.Equal("2000 (cpufreq)", d.BaseMhz);
        Assert.Equal("3412.345 (cpufreq)", d.CurrentMhz);
        Assert.Equal("present (cpuinfo flag; type xen; system vendor Amazon EC2)", d.Hypervisor);
        Assert.Equal("6.1.0-18-amd64", d.KernelRelease);
        Assert.Null(d.FindProblem());
    }

    [Fact]
    public void Without_cpufreq_the_clock_comes_from_cpuinfo_and_a_vendor_alone_is_no_hypervisor()
    {
        using var root = new TempFolder();
        Write(root, "proc/cpuinfo", CpuInfo.Replace(" hypervisor", ""));
        Write(root, "sys/class/dmi/id/sys_vendor", "Dell Inc.\n");

        var d = MachineProbe.Collect(root.Path, NoEnvironment);

        Assert.Equal("2000.000 (cpuinfo)", d.BaseMhz);
        Assert.Equal("2000.000 (cpuinfo)", d.CurrentMhz);
        Assert.Equal("none detected", d.Hypervisor);
    }

    [Fact]
    public void An_empty_root_gives_unknown_everywhere_and_never_throws()
    {
        using var root = new TempFolder();

        var d = MachineProbe.Collect(root.Path, NoEnvironment);

        foreach (var value in new[] { d.CpuVendor, d.CpuFamily, d.CpuModelNumber, d.CpuStepping, d.L1dCache, d.L2Cache, d.L3Cache, d.BaseMhz, d.CurrentMhz, d.KernelRelease })
            Assert.Equal(MachineDetails.Unknown, value);
        Assert.Empty(d.CpuFlags);
        Assert.Equal("none detected", d.Hypervisor);
        Assert.Null(d.FindProblem());
        Assert.Null(MachineProbe.Collect(Path.Combine(root.Path, "no such folder"), NoEnvironment).FindProblem());
    }

    [Fact]
    public void Garbled_files_are_read_as_what_they_say_within_the_bounds()
    {
        int seed = SuiteSamples.FreshSeed();
        var rng = new Random(seed);
        using var root = new TempFolder();
        var garbage = new byte[20_000];
        rng.NextBytes(garbage);
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(root.File("proc")).FullName, "cpuinfo"),
            [.. Encoding.UTF8.GetBytes("vendor_id : " + new string('v', 5000) + "\u001b[2J\nmodel : \n"), .. garbage]);
        Write(root, "proc/sys/kernel/osrelease", "\u0000\u0007 " + new string('k', 300));
        Directory.CreateDirectory(root.File("sys/devices/system/cpu/cpu0/cache/index0/level"));
        Write(root, "sys/devices/system/cpu/cpu0/cpufreq/base_frequency", "-5");

        var d = MachineProbe.Collect(root.Path, NoEnvironment);

        Assert.True(d.FindProblem() is null, $"seed {seed}: {d.FindProblem()}");
        Assert.Equal(MachineDetails.MaxTextLength, d.CpuVendor.Length);
        Assert.DoesNotContain('\u001b', d.CpuVendor);
        Assert.Equal(MachineDetails.Unknown, d.CpuModelNumber);
        Assert.Equal(MachineDetails.Unknown, d.L1dCache);
        Assert.DoesNotContain('\u0000', d.KernelRelease);
    }

    [Fact]
    public void Runtime_switches_from_the_environment_say_where_they_came_from()
    {
        using var root = new TempFolder();
        var environment = new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0", ["COMPlus_TieredCompilation"] = "1" };

        var d = MachineProbe.Collect(root.Path, name => environment.GetValueOrDefault(name));

        Assert.Equal("off (DOTNET_TieredPGO=0)", d.TieredPgo);
        Assert.Equal("on (COMPlus_TieredCompilation=1)", d.TieredCompilation);
        Assert.Matches("^(on|off) \\(latency mode ", d.ConcurrentGc);
        Assert.Contains(d.ServerGc, new[] { "on", "off" });
        Assert.NotEqual(MachineDetails.Unknown, d.ProjectVersion);
    }

    [Fact]
    public void This_machine_gives_details_that_pass_the_rules_and_join_the_host()
    {
        var host = HostInfo.Collect();
        Assert.NotNull(host.Details);
        Assert.Null(host.Details!.FindProblem());
    }

    private static void Write(TempFolder root, string relative, string text)
    {
        var path = root.File(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
