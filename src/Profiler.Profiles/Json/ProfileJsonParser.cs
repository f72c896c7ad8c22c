using System.Globalization;
using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles.Json;

/// <summary>
/// Turns a parsed JSON tree into a <see cref="ProfileDocument"/>, checking types, units and ranges on the way and
/// stopping at the first problem with a <see cref="ProfileFormatException"/> that names the field.
/// The content hash is checked by the caller, last, so that a more specific problem is reported first.
/// </summary>
internal static class ProfileJsonParser
{
    /// <summary>Reads the root object of a profile file.</summary>
    public static ProfileDocument Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ProfileFormatException("", $"expected a profile object, got {ObjectReader.Describe(root)}");
        var r = ObjectReader.Of(root, "");
        int version = ReadSchemaVersion(r);
        var hash = r.String("contentHash");
        if (!IsHashText(hash))
            throw new ProfileFormatException("contentHash", $"expected \"sha256:\" and 64 hex digits, got {ProfileFormatException.Quote(hash)}");
        bool v1 = version == 1;
        bool v3 = version >= ProfileDocument.FirstSchemaWithReference;
        var doc = new ProfileDocument
        {
            SchemaVersion = version,
            Fingerprint = ParseFingerprint(r.Object("fingerprint"), v3),
            Settings = ParseSettings(r.Object("settings"), v1),
            Ceilings = ParseCeilings(r.Object("ceilings")),
            Drift = ParseDrift(r.Object("drift"), v1),
            Reference = v3 ? ReferenceJson.Read(r, "reference") : null,
            Cases = ParseCases(r, v1),
            ContentHash = hash,
        };
        r.RejectUnknown();
        return doc;
    }

    private static int ReadSchemaVersion(ObjectReader r)
    {
        if (!r.Has("schemaVersion"))
            throw new ProfileFormatException("schemaVersion", "required field is missing (is this a profile file?)");
        int version = r.Int("schemaVersion");
        return version is >= 1 and <= ProfileDocument.CurrentSchemaVersion
            ? version
            : throw new ProfileFormatException("", $"schemaVersion {version} is not supported (this tool reads 1 to {ProfileDocument.CurrentSchemaVersion})");
    }

    private static bool IsHashText(string hash) =>
        hash.StartsWith(ProfileHash.Prefix, StringComparison.Ordinal)
        && hash.Length == ProfileHash.Prefix.Length + 64
        && !hash.AsSpan(ProfileHash.Prefix.Length).ContainsAnyExcept("0123456789abcdef");

    private static Fingerprint ParseFingerprint(ObjectReader r, bool v3)
    {
        var dateText = r.String("date");
        if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var date))
            throw new ProfileFormatException(r.PathOf("date"), $"expected an ISO 8601 date and time, got {ProfileFormatException.Quote(dateText)}");
        var fingerprint = new Fingerprint
        {
            Os = r.String("os"),
            CpuModel = r.String("cpuModel"),
            LogicalCores = r.Int("logicalCores", min: 1),
            MemoryBytes = r.Long("memoryBytes", min: 0),
            DotNetVersion = r.String("dotNetVersion"),
            Backend = r.String("backend"),
            BackendVersion = r.String("backendVersion"),
            Device = r.String("device"),
            Provider = r.String("provider"),
            GpuName = r.String("gpuName"),
            GpuDriver = r.String("gpuDriver"),
            Threads = r.Int("threads", min: 1),
            ThreadSettings = r.StringMap("threadSettings"),
            DType = r.String("dtype"),
            ToolVersion = r.String("toolVersion"),
            Date = date,
            Machine = v3 ? MachineJson.Read(r, "machine") : null,
        };
        if (FingerprintCheck.FindProblem(fingerprint) is { } problem) throw new ProfileFormatException(r.PathOf(problem.Field), problem.Message);
        r.RejectUnknown();
        return fingerprint;
    }

    private static RunSettings ParseSettings(ObjectReader r, bool v1)
    {
        var settings = new RunSettings
        {
            Preset = r.String("preset"),
            Operators = r.Array("operators").Select(e => ParseOperator(e.Element, e.Path)).ToList(),
            Tokens = r.Array("tokens").Select(e => ObjectReader.ReadInt(e.Element, e.Path, min: 1)).ToList(),
            Threads = r.Int("threads", min: 1),
            Batch = r.Int("batch", min: 1),
            DType = r.String("dtype"),
            Seed = r.Int("seed"),
            Rounds = r.Int("rounds", min: 0),
            Estimator = v1 ? SchemaOneEstimator : ParseEstimator(r),
            TargetRelativeCiHalfWidth = Positive(r, "targetRelativeCiHalfWidth"),
            MinIterations = r.Int("minIterations", min: 1),
            MaxIterations = r.Int("maxIterations", min: 1),
            MaxTimePerCase = r.Latency("maxTimePerCaseUs"),
            IterationTime = r.Latency("iterationTimeUs"),
            Budget = r.NullableLatency("budgetUs"),
            Complete = r.Bool("complete"),
        };
        if (settings.MaxIterations < settings.MinIterations)
            throw new ProfileFormatException(r.PathOf("maxIterations"), $"{settings.MaxIterations} is below minIterations {settings.MinIterations}");
        r.RejectUnknown();
        return settings;
    }

    private static DeviceCeilings ParseCeilings(ObjectReader r)
    {
        var ceilings = new DeviceCeilings
        {
            MatmulFlopsPerSecond = Positive(r, "matmulFlopsPerSecond"),
            MatmulSize = r.String("matmulSize"),
            MemoryBytesPerSecond = Positive(r, "memoryBytesPerSecond"),
            MemorySize = r.String("memorySize"),
        };
        r.RejectUnknown();
        return ceilings;
    }

    private static DriftRecord ParseDrift(ObjectReader r, bool v1)
    {
        var drift = new DriftRecord
        {
            Sentinel = r.String("sentinel"),
            SentinelMedians = r.Array("mediansUs").Select(e => ObjectReader.ReadLatency(e.Element, e.Path, allowZero: false)).ToList(),
            Corrections = r.Array("corrections").Select(e => PositiveValue(e.Element, e.Path)).ToList(),
            SpreadAsTimed = v1 ? null : NullableNumber(r, "spreadAsTimed"),
            SpreadCorrected = v1 ? null : NullableNumber(r, "spreadCorrected"),
            Applied = r.Bool("applied"),
        };
        r.RejectUnknown();
        return drift;
    }

    private static List<CaseEntry> ParseCases(ObjectReader root, bool v1)
    {
        var cases = new List<CaseEntry>();
        var firstIndexOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (element, path) in root.Array("cases"))
        {
            var entry = ParseCase(ObjectReader.Of(element, path), v1);
            if (!firstIndexOfKey.TryAdd(entry.Case.Key, cases.Count))
                throw new ProfileFormatException(path, $"same case as cases[{firstIndexOfKey[entry.Case.Key]}] ({entry.Case.Key})");
            cases.Add(entry);
        }
        return cases;
    }

    private static CaseEntry ParseCase(ObjectReader r, bool v1)
    {
        var op = ParseOperator(r.Field("operator"), r.PathOf("operator"));
        var variant = r.String("variant");
        int tokensIn = r.Int("tokensIn", min: 1);
        int tokensOut = r.Int("tokensOut", min: 1);
        if (tokensOut > tokensIn)
            throw new ProfileFormatException(r.PathOf("tokensOut"), $"{tokensOut} is more than tokensIn {tokensIn}");
        var operatorCase = new OperatorCase(
            op, tokensIn, tokensOut, r.Int("hidden", min: 1), r.Int("heads", min: 1), r.Int("mlpSize", min: 1),
            r.Int("batch", min: 1), r.String("dtype"), variant);
        try
        {
            operatorCase.Validated();
        }
        catch (InputException e)
        {
            throw new ProfileFormatException(r.Path, e.Message);
        }
        var latency = v1 ? null : ParseLatency(r);
        var statistics = ParseStatistics(r);
        var entry = new CaseEntry
        {
            Case = operatorCase,
            Latency = latency ?? new LatencyEstimate(statistics.Median, null, null, statistics.Count),
            Statistics = statistics,
            UncorrectedMedian = r.Latency("uncorrectedMedianUs"),
            InvocationsPerIteration = r.Int("invocationsPerIteration", min: 1),
            Rounds = r.Int("rounds", min: 1),
            Converged = r.Bool("converged"),
            Flops = r.Number("flops", min: 0),
            Bytes = r.Number("bytes", min: 0),
            AchievedFlopsPerSecond = r.Number("achievedFlopsPerSecond", min: 0),
            FractionOfPeak = r.Number("fractionOfPeak", min: 0),
        };
        r.RejectUnknown();
        return entry;
    }

    /// <summary>What a schema-1 file's latencies are: it had no primary estimate, and its fit used the median.</summary>
    public const string SchemaOneEstimator = "median";

    private static string ParseEstimator(ObjectReader r)
    {
        var name = r.String("estimator");
        return name == LatencyEstimate.Name
            ? name
            : throw new ProfileFormatException(r.PathOf("estimator"), $"{ProfileFormatException.Quote(name)} is not an estimator this tool knows (it writes \"{LatencyEstimate.Name}\")");
    }

    private static LatencyEstimate ParseLatency(ObjectReader r)
    {
        var value = r.Latency("latencyUs");
        var low = r.NullableLatency("latencyLowUs");
        var high = r.NullableLatency("latencyHighUs");
        if ((low is null) != (high is null))
            throw new ProfileFormatException(r.PathOf(low is null ? "latencyLowUs" : "latencyHighUs"), "is null but the other end of the interval is not");
        if (low is { } l) RequireOrder(r, "latencyLowUs", l, "latencyUs", value);
        if (high is { } h) RequireOrder(r, "latencyUs", value, "latencyHighUs", h);
        // The estimate is taken over every sample: those kept (n) and the upper outliers the diagnostics dropped.
        return new LatencyEstimate(value, low, high, r.Int("n", min: 1) + r.Int("outliersRemoved", min: 0));
    }

    private static double? NullableNumber(ObjectReader r, string name) =>
        r.Field(name).ValueKind == JsonValueKind.Null ? null : r.Number(name, min: 0);

    private static SampleStatistics ParseStatistics(ObjectReader r)
    {
        int n = r.Int("n", min: 1);
        int outliers = r.Int("outliersRemoved", min: 0);
        var median = r.Latency("medianUs");
        var mean = r.Latency("meanUs");
        var p10 = r.Latency("p10Us");
        var p90 = r.Latency("p90Us");
        var q1 = r.Latency("q1Us");
        var q3 = r.Latency("q3Us");
        var iqr = r.Spread("iqrUs");
        var stdDev = r.Spread("stdDevUs");
        var ci = r.Field("ciHalfWidthUs").ValueKind == JsonValueKind.Null ? (Latency?)null : r.Spread("ciHalfWidthUs");

        RequireOrder(r, "p10Us", p10, "medianUs", median);
        RequireOrder(r, "medianUs", median, "p90Us", p90);
        RequireOrder(r, "q1Us", q1, "q3Us", q3);
        var expectedIqr = q3.Nanoseconds - q1.Nanoseconds;
        // The file holds q1, q3 and iqr rounded separately only if someone wrote them by hand; allow for that.
        if (Math.Abs(iqr.Nanoseconds - expectedIqr) > 1e-9 * Math.Max(q3.Nanoseconds, 1))
            throw new ProfileFormatException(r.PathOf("iqrUs"), "does not equal q3Us - q1Us");
        if (ci is null && n > 1)
            throw new ProfileFormatException(r.PathOf("ciHalfWidthUs"), $"is null but n = {n}; only a single sample has no confidence interval");
        if (ci is not null && n == 1)
            throw new ProfileFormatException(r.PathOf("ciHalfWidthUs"), "must be null when n = 1 (one sample has no confidence interval)");

        return new SampleStatistics(
            median, mean, p10, p90, q1, q3, stdDev, ci ?? new Latency(double.PositiveInfinity), n, outliers);
    }

    private static void RequireOrder(ObjectReader r, string lowName, Latency low, string highName, Latency high)
    {
        if (low.Nanoseconds > high.Nanoseconds)
            throw new ProfileFormatException(r.PathOf(lowName), $"{MicrosecondText.Format(low)} is above {highName} {MicrosecondText.Format(high)} (quantiles must be ordered)");
    }

    private static OperatorKind ParseOperator(JsonElement value, string path)
    {
        var name = ObjectReader.ReadString(value, path);
        try
        {
            return OperatorNames.Parse(name);
        }
        catch (InputException e)
        {
            throw new ProfileFormatException(path, e.Message);
        }
    }

    private static double Positive(ObjectReader r, string name)
    {
        double x = r.Number(name, min: 0);
        return x > 0 ? x : throw new ProfileFormatException(r.PathOf(name), "must be more than 0");
    }

    private static double PositiveValue(JsonElement value, string path)
    {
        double x = ObjectReader.ReadNumber(value, path, min: 0);
        return x > 0 ? x : throw new ProfileFormatException(path, "must be more than 0");
    }
}
