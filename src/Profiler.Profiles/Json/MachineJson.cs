using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>The fingerprint's <c>machine</c> object (schema 3): read with the parser's rules, written in file order.</summary>
internal static class MachineJson
{
    /// <summary>The field's value: the details, or null where the run did not record them.</summary>
    public static MachineDetails? Read(ObjectReader fingerprint, string name)
    {
        if (fingerprint.Field(name).ValueKind == JsonValueKind.Null) return null;
        var r = fingerprint.Object(name);
        var details = new MachineDetails
        {
            CpuVendor = r.String("cpuVendor"),
            CpuFamily = r.String("cpuFamily"),
            CpuModelNumber = r.String("cpuModelNumber"),
            CpuStepping = r.String("cpuStepping"),
            CpuFlags = r.Array("cpuFlags").Select(e => ObjectReader.ReadString(e.Element, e.Path)).ToList(),
            L1dCache = r.String("l1dCache"),
            L2Cache = r.String("l2Cache"),
            L3Cache = r.String("l3Cache"),
            BaseMhz = r.String("baseMhz"),
            CurrentMhz = r.String("currentMhz"),
            Hypervisor = r.String("hypervisor"),
            KernelRelease = r.String("kernelRelease"),
            TieredCompilation = r.String("tieredCompilation"),
            TieredPgo = r.String("tieredPgo"),
            ServerGc = r.String("serverGc"),
            ConcurrentGc = r.String("concurrentGc"),
            ProjectVersion = r.String("projectVersion"),
        };
        r.RejectUnknown();
        if (details.FindProblem() is { } problem) throw new ProfileFormatException(r.PathOf(problem.Field), problem.Problem);
        return details;
    }

    /// <summary>Writes the details, or null.</summary>
    public static void Write(Utf8JsonWriter w, string name, MachineDetails? details)
    {
        if (details is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        foreach (var (field, value) in details.Fields())
        {
            if (field != "cpuFlags")
            {
                w.WriteString(field, value);
                continue;
            }
            w.WriteStartArray(field);
            foreach (var flag in details.CpuFlags) w.WriteStringValue(flag);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
