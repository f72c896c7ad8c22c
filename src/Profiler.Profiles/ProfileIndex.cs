using System.Text.Json;
using System.Text.Json.Serialization;
using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>One published profile as the index lists it: where it is and what it was measured on.</summary>
/// <param name="File">File name, relative to the index.</param>
/// <param name="Backend">Backend.</param>
/// <param name="Device">Device.</param>
/// <param name="Provider">Execution provider or device type.</param>
/// <param name="Cpu">CPU model.</param>
/// <param name="Gpu">GPU name, empty on a CPU.</param>
/// <param name="LogicalCores">Logical cores.</param>
/// <param name="Threads">Threads used.</param>
/// <param name="Preset">Preset profiled.</param>
/// <param name="Operators">Operators profiled.</param>
/// <param name="Cases">Cases in the file.</param>
/// <param name="Date">When the run started (UTC).</param>
/// <param name="ContentHash">The profile's content hash.</param>
/// <param name="ProfileSchema">The profile file's schema version.</param>
/// <param name="Estimator">What its latencies are: "p10" (schema 2) or "median" (schema 1).</param>
/// <param name="Rounds">Most bursts a case got.</param>
/// <param name="HasReferenceSuite">True when the profile records a reference suite (schema 3), so that
/// <c>check</c> can tell whether it applies to another machine; false for a stale one (and in an index written before
/// the field existed, whose profiles were all stale).</param>
public sealed record IndexEntry(
    string File, string Backend, string Device, string Provider, string Cpu, string Gpu, int LogicalCores, int Threads,
    string Preset, IReadOnlyList<string> Operators, int Cases, DateTimeOffset Date, string ContentHash,
    int ProfileSchema, string Estimator, int Rounds, bool HasReferenceSuite = false)
{
    /// <summary>True when the profile cannot be checked against another machine (no reference suite): re-profile it.</summary>
    public bool Stale => !HasReferenceSuite;
}

/// <summary>
/// <c>profiles/index.json</c>: the published profiles with a fingerprint summary each. It is rebuilt from the files
/// that are there, each validated first, so it never lists a file that is missing or broken.
/// </summary>
public static class ProfileIndex
{
    /// <summary>The index's file name inside the profiles folder.</summary>
    public const string FileName = "index.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads every *.profile.json in <paramref name="folder"/> and writes the index atomically.</summary>
    public static IReadOnlyList<IndexEntry> Rebuild(string folder)
    {
        if (!Directory.Exists(folder)) throw new InputException($"{folder} is not a folder");
        var entries = new List<IndexEntry>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.profile.json").Order(StringComparer.Ordinal))
        {
            var doc = ProfileReader.Read(path);
            var f = doc.Fingerprint;
            entries.Add(new IndexEntry(Path.GetFileName(path), f.Backend, f.Device, f.Provider, f.CpuModel, f.GpuName,
                f.LogicalCores, f.Threads, doc.Settings.Preset, doc.Settings.Operators.Select(o => o.Name()).ToList(),
                doc.Cases.Count, f.Date, doc.ContentHash, doc.SchemaVersion, doc.Settings.Estimator, doc.Settings.Rounds,
                !doc.IsStale));
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 3, profiles = entries }, Options);
        AtomicFile.Write(Path.Combine(folder, FileName), json);
        return entries;
    }
}
