using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>
/// Writes a <see cref="ProfileDocument"/> as JSON, property by property, so the order never depends on reflection.
/// Latencies become microseconds here and nowhere else. The same code writes the file and the canonical form the
/// content hash is taken over, so the two cannot disagree.
/// </summary>
internal static class ProfileJsonWriter
{
    /// <summary>The file: indented, with the content hash, "\n" line ends on every OS, ending in a newline.</summary>
    public static byte[] File(ProfileDocument doc)
    {
        // Utf8JsonWriter does not indent raw values inside arrays, so the compact form is written first and then
        // re-indented through JsonDocument, which copies number text unchanged.
        using var compact = JsonDocument.Parse(Write(doc, withHash: true));
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options(indented: true))) compact.WriteTo(w);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>What the content hash is taken over: compact, everything but the hash itself.</summary>
    public static byte[] Canonical(ProfileDocument doc) => Write(doc, withHash: false);

    private static JsonWriterOptions Options(bool indented) => new()
    {
        Indented = indented,
        NewLine = "\n",
        // Keep CPU names, "×" and "µ" readable; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static byte[] Write(ProfileDocument doc, bool withHash)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options(indented: false)))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", doc.SchemaVersion);
            if (withHash) w.WriteString("contentHash", doc.ContentHash);
            bool v1 = doc.SchemaVersion == 1;
            bool v3 = doc.SchemaVersion >= ProfileDocument.FirstSchemaWithReference;
            w.WritePropertyName("fingerprint");
            WriteFingerprint(w, doc.Fingerprint, v3);
            w.WritePropertyName("settings");
            WriteSettings(w, doc.Settings, v1);
            w.WritePropertyName("ceilings");
            WriteCeilings(w, doc.Ceilings);
            w.WritePropertyName("drift");
            WriteDrift(w, doc.Drift, v1);
            if (v3) ReferenceJson.Write(w, "reference", doc.Reference);
            w.WriteStartArray("cases");
            foreach (var entry in doc.Cases) WriteCase(w, entry, v1);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteFingerprint(Utf8JsonWriter w, Fingerprint f, bool v3)
    {
        w.WriteStartObject();
        w.WriteString("os", f.Os);
        w.WriteString("cpuModel", f.CpuModel);
        w.WriteNumber("logicalCores", f.LogicalCores);
        w.WriteNumber("memoryBytes", f.MemoryBytes);
        w.WriteString("dotNetVersion", f.DotNetVersion);
        w.WriteString("backend", f.Backend);
        w.WriteString("backendVersion", f.BackendVersion);
        w.WriteString("device", f.Device);
        w.WriteString("provider", f.Provider);
        w.WriteString("gpuName", f.GpuName);
        w.WriteString("gpuDriver", f.GpuDriver);
        w.WriteNumber("threads", f.Threads);
        w.WriteStartObject("threadSettings");
        // Sorted so that the bytes do not depend on the order the settings were collected in.
        foreach (var (key, value) in f.ThreadSettings.OrderBy(p => p.Key, StringComparer.Ordinal))
            w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteString("dtype", f.DType);
        w.WriteString("toolVersion", f.ToolVersion);
        w.WriteString("date", f.Date.ToString("O", CultureInfo.InvariantCulture));
        if (v3) MachineJson.Write(w, "machine", f.Machine);
        w.WriteEndObject();
    }

    // A document of an older schema (read from an old file) is written in its own form, so that its content hash
    // still holds: schema 1 without the estimator and drift spreads, schemas 1 and 2 without machine and reference.
    private static void WriteSettings(Utf8JsonWriter w, RunSettings s, bool v1)
    {
        w.WriteStartObject();
        w.WriteString("preset", s.Preset);
        w.WriteStartArray("operators");
        foreach (var op in s.Operators) w.WriteStringValue(op.Name());
        w.WriteEndArray();
        w.WriteStartArray("tokens");
        foreach (var n in s.Tokens) w.WriteNumberValue(n);
        w.WriteEndArray();
        w.WriteNumber("threads", s.Threads);
        w.WriteNumber("batch", s.Batch);
        w.WriteString("dtype", s.DType);
        w.WriteNumber("seed", s.Seed);
        w.WriteNumber("rounds", s.Rounds);
        if (!v1) w.WriteString("estimator", s.Estimator);
        WriteDouble(w, "targetRelativeCiHalfWidth", s.TargetRelativeCiHalfWidth);
        w.WriteNumber("minIterations", s.MinIterations);
        w.WriteNumber("maxIterations", s.MaxIterations);
        WriteLatency(w, "maxTimePerCaseUs", s.MaxTimePerCase);
        WriteLatency(w, "iterationTimeUs", s.IterationTime);
        WriteNullableLatency(w, "budgetUs", s.Budget);
        w.WriteBoolean("complete", s.Complete);
        w.WriteEndObject();
    }

    private static void WriteCeilings(Utf8JsonWriter w, DeviceCeilings c)
    {
        w.WriteStartObject();
        WriteDouble(w, "matmulFlopsPerSecond", c.MatmulFlopsPerSecond);
        w.WriteString("matmulSize", c.MatmulSize);
        WriteDouble(w, "memoryBytesPerSecond", c.MemoryBytesPerSecond);
        w.WriteString("memorySize", c.MemorySize);
        w.WriteEndObject();
    }

    private static void WriteDrift(Utf8JsonWriter w, DriftRecord d, bool v1)
    {
        w.WriteStartObject();
        w.WriteString("sentinel", d.Sentinel);
        w.WriteStartArray("mediansUs");
        foreach (var median in d.SentinelMedians) WriteLatencyValue(w, median);
        w.WriteEndArray();
        w.WriteStartArray("corrections");
        foreach (var factor in d.Corrections) WriteDoubleValue(w, factor);
        w.WriteEndArray();
        if (!v1)
        {
            WriteNullableDouble(w, "spreadAsTimed", d.SpreadAsTimed);
            WriteNullableDouble(w, "spreadCorrected", d.SpreadCorrected);
        }
        w.WriteBoolean("applied", d.Applied);
        w.WriteEndObject();
    }

    private static void WriteCase(Utf8JsonWriter w, CaseEntry e, bool v1)
    {
        var c = e.Case;
        var s = e.Statistics;
        w.WriteStartObject();
        w.WriteString("operator", c.Operator.Name());
        w.WriteString("variant", c.Variant);
        w.WriteNumber("tokensIn", c.TokensIn);
        w.WriteNumber("tokensOut", c.TokensOut);
        w.WriteNumber("hidden", c.Hidden);
        w.WriteNumber("heads", c.Heads);
        w.WriteNumber("mlpSize", c.MlpSize);
        w.WriteNumber("batch", c.Batch);
        w.WriteString("dtype", c.DType);
        if (!v1)
        {
            WriteLatency(w, "latencyUs", e.Latency.Value);
            WriteNullableLatency(w, "latencyLowUs", e.Latency.Low);
            WriteNullableLatency(w, "latencyHighUs", e.Latency.High);
        }
        w.WriteNumber("n", s.Count);
        w.WriteNumber("outliersRemoved", s.OutliersRemoved);
        WriteLatency(w, "medianUs", s.Median);
        WriteLatency(w, "meanUs", s.Mean);
        WriteLatency(w, "p10Us", s.P10);
        WriteLatency(w, "p90Us", s.P90);
        WriteLatency(w, "q1Us", s.Q1);
        WriteLatency(w, "q3Us", s.Q3);
        WriteLatency(w, "iqrUs", s.Iqr);
        WriteLatency(w, "stdDevUs", s.StdDev);
        // One sample has no confidence interval; SampleStatistics says so with +∞, which JSON cannot hold.
        if (s.CiHalfWidth.Nanoseconds == double.PositiveInfinity) w.WriteNull("ciHalfWidthUs");
        else WriteLatency(w, "ciHalfWidthUs", s.CiHalfWidth);
        WriteLatency(w, "uncorrectedMedianUs", e.UncorrectedMedian);
        w.WriteNumber("invocationsPerIteration", e.InvocationsPerIteration);
        w.WriteNumber("rounds", e.Rounds);
        w.WriteBoolean("converged", e.Converged);
        WriteDouble(w, "flops", e.Flops);
        WriteDouble(w, "bytes", e.Bytes);
        WriteDouble(w, "achievedFlopsPerSecond", e.AchievedFlopsPerSecond);
        WriteDouble(w, "fractionOfPeak", e.FractionOfPeak);
        w.WriteEndObject();
    }

    /// <summary>A latency field in microseconds (non-finite values as text, for the validator to name).</summary>
    internal static void WriteLatency(Utf8JsonWriter w, string name, Latency latency)
    {
        w.WritePropertyName(name);
        WriteLatencyValue(w, latency);
    }

    private static void WriteNullableLatency(Utf8JsonWriter w, string name, Latency? latency)
    {
        if (latency is { } l) WriteLatency(w, name, l);
        else w.WriteNull(name);
    }

    private static void WriteNullableDouble(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) WriteDouble(w, name, v);
        else w.WriteNull(name);
    }

    /// <summary>A number field (non-finite values as text, for the validator to name).</summary>
    internal static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteDoubleValue(w, value);
    }

    private static void WriteLatencyValue(Utf8JsonWriter w, Latency latency)
    {
        if (double.IsFinite(latency.Nanoseconds)) w.WriteRawValue(MicrosecondText.Format(latency));
        else WriteNonFinite(w, latency.Nanoseconds);
    }

    private static void WriteDoubleValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else WriteNonFinite(w, value);
    }

    // Written as "NaN"/"Infinity" strings so that the writer's own validation pass names the field instead of
    // Utf8JsonWriter throwing without saying which one.
    private static void WriteNonFinite(Utf8JsonWriter w, double value) =>
        w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
