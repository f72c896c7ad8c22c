using System.Globalization;
using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>Whether a profile (or a surrogate fitted on one) describes the machine at hand.</summary>
public enum Applicability
{
    /// <summary>The per-call and compute factors' intervals hold 1 or lie within ±10%: use it as it is.</summary>
    AppliesAsIs,

    /// <summary>Same backend, backend version, device kind, dtype and threads, but the machine runs at other speeds: transfer it.</summary>
    AppliesAfterTransfer,

    /// <summary>Another backend, backend version, device kind, dtype or thread count, or a reference case this machine cannot run.</summary>
    DoesNotApply,

    /// <summary>The profile has no usable reference suite (schemas 1 and 2): it cannot be checked; re-profile.</summary>
    Stale,

    /// <summary>
    /// A factor's interval is too wide to tell (one of the two suites ran on a busy machine): neither "as it is" nor
    /// a transfer by a factor that may be off by its whole spread; check again when the machine is quiet.
    /// </summary>
    CannotTell,
}

/// <summary>How verdicts are written.</summary>
public static class ApplicabilityNames
{
    /// <summary>"applies as it is", "applies after transfer", "does not apply", "stale", "cannot tell now".</summary>
    public static string Words(this Applicability verdict) => verdict switch
    {
        Applicability.AppliesAsIs => "applies as it is",
        Applicability.AppliesAfterTransfer => "applies after transfer",
        Applicability.DoesNotApply => "does not apply",
        Applicability.CannotTell => "cannot tell now",
        _ => "stale",
    };

    /// <summary>The verdict as a JSON value: the words joined by hyphens ("applies-after-transfer").</summary>
    public static string Slug(this Applicability verdict) => verdict.Words().Replace(' ', '-');
}

/// <summary>
/// The comparison of a profile's reference suite with the same suite run here: one <see cref="ReferenceFactor"/> per
/// case (per call, compute, memory), the fingerprint fields that differ, and the verdict with its reason. Pure
/// arithmetic on two fingerprints and two suites; running the suite is the caller's part.
/// </summary>
/// <param name="Verdict">What the comparison says.</param>
/// <param name="Reason">Why, in one line.</param>
/// <param name="Factors">The factor of every case measured on both machines, in <see cref="ReferenceCaseNames.All"/> order.</param>
/// <param name="Unmeasured">Per case without a factor, why (not measured there, or here).</param>
/// <param name="Differences">Fingerprint fields that differ.</param>
public sealed record ReferenceComparison(
    Applicability Verdict, string Reason, IReadOnlyList<ReferenceFactor> Factors, IReadOnlyList<string> Unmeasured,
    IReadOnlyList<FingerprintDifference> Differences)
{
    /// <summary>What a field reads as where one side did not record it.</summary>
    public const string NotRecorded = "(not recorded)";

    /// <summary>The per-call factor, or null.</summary>
    public ReferenceFactor? Call => Factor(ReferenceCaseNames.Call);

    /// <summary>The compute factor, or null.</summary>
    public ReferenceFactor? Compute => Factor(ReferenceCaseNames.Compute);

    /// <summary>The memory factor, or null.</summary>
    public ReferenceFactor? Memory => Factor(ReferenceCaseNames.Memory);

    /// <summary>One line per factor whose interval is too wide to trust its point value (see <see cref="ReferenceFactor.Uncertain"/>).</summary>
    public IReadOnlyList<string> Cautions => Factors.Where(f => f.Uncertain)
        .Select(f => string.Create(CultureInfo.InvariantCulture, $"the {f.Case} factor's interval spans ×{f.High / f.Low:0.0} ({f.Low:0.000}–{f.High:0.000}): one of the two suites ran on a busy machine; check again when it is quiet"))
        .ToList();

    /// <summary>The factor of case <paramref name="name"/>, or null.</summary>
    public ReferenceFactor? Factor(string name) => Factors.FirstOrDefault(f => f.Case == name);

    /// <summary>
    /// Compares the profiled machine (<paramref name="there"/>, with its suite or null) with this one
    /// (<paramref name="here"/>, with the suite just run through the same backend, device and threads).
    /// </summary>
    public static ReferenceComparison Compare(Fingerprint there, ReferenceSuite? thereSuite, Fingerprint here, ReferenceSuite hereSuite)
    {
        var differences = DifferencesOf(there, here);
        var factors = new List<ReferenceFactor>();
        var unmeasured = new List<string>();
        foreach (var name in ReferenceCaseNames.All)
        {
            var a = thereSuite?.Find(name);
            var b = hereSuite.Find(name);
            if (a is not null && b is not null && a.Description != b.Description) unmeasured.Add($"{name}: {RanOtherwise(a, b)}");
            else if (a is not null && b is not null) factors.Add(ReferenceFactor.Of(name, b.Latency, a.Latency));
            else if (thereSuite is not null && a is null) unmeasured.Add($"{name}: not measured in the profile ({thereSuite.WhyMissing(name)})");
            else if (b is null) unmeasured.Add($"{name}: could not run here ({hereSuite.WhyMissing(name)})");
        }
        var (verdict, reason) = Judge(there, thereSuite, here, hereSuite, factors);
        return new ReferenceComparison(verdict, reason, factors, unmeasured, differences);
    }

    /// <summary>
    /// The verdict when the suite cannot run here at all (the profile's backend or device cannot be opened on this
    /// machine): does not apply, for <paramref name="reason"/>; stale first when the profile has no suite either.
    /// </summary>
    public static ReferenceComparison Unavailable(Fingerprint there, ReferenceSuite? thereSuite, string reason) =>
        thereSuite is null
            ? new(Applicability.Stale, StaleReason + $"; nor can it run here: {reason}", [], [], [])
            : new(Applicability.DoesNotApply, $"does not apply: {reason}", [], [], []);

    private const string StaleReason = "stale: the profile has no reference suite (written before schema 3), so nothing tells whether it describes this machine; re-profile to check it";

    private static (Applicability, string) Judge(Fingerprint there, ReferenceSuite? thereSuite, Fingerprint here, ReferenceSuite hereSuite,
        IReadOnlyList<ReferenceFactor> factors)
    {
        var stack = StackDifferences(there, here);
        if (stack.Count > 0) return (Applicability.DoesNotApply, "does not apply: " + string.Join("; ", stack));
        if (thereSuite is null) return (Applicability.Stale, StaleReason);
        foreach (var name in new[] { ReferenceCaseNames.Call, ReferenceCaseNames.Compute })
        {
            if (thereSuite.Find(name) is not { } a)
                return (Applicability.Stale, $"stale: the profile's reference suite has no {name} result ({thereSuite.WhyMissing(name)}); re-profile to check it");
            if (hereSuite.Find(name) is not { } b)
                return (Applicability.DoesNotApply, $"does not apply: this machine cannot run the {name} reference case ({hereSuite.WhyMissing(name)})");
            if (a.Description != b.Description)
                return (Applicability.Stale, $"stale: the profile's {name} reference case {RanOtherwise(a, b)}; re-profile to check it");
        }
        // A busy machine (here or there) widens an interval far beyond any real difference between machines: a
        // 256×256 matmul read 12 ms instead of 0.2 ms while other work shared this 2-core machine.
        var uncertain = factors.Where(f => f.Uncertain && f.Case is ReferenceCaseNames.Call or ReferenceCaseNames.Compute).ToList();
        if (uncertain.Count > 0)
            return (Applicability.CannotTell, "cannot tell now: " + string.Join(", ", uncertain.Select(f => string.Create(CultureInfo.InvariantCulture,
                $"the {f.Case} factor's interval spans ×{f.High / f.Low:0.0} ({f})"))) + "; one of the two suites ran on a busy machine; check again when it is quiet");
        // The verdict rests on the two factors a transfer uses; the memory factor is reported beside them.
        var off = factors.Where(f => !f.Agrees && f.Case is ReferenceCaseNames.Call or ReferenceCaseNames.Compute).ToList();
        if (off.Count == 0)
            return (Applicability.AppliesAsIs, $"applies as it is: the per-call and compute factors' intervals hold 1 or lie within ±{ReferenceFactor.Tolerance:P0}");
        return (Applicability.AppliesAfterTransfer,
            "applies after transfer: same backend, version, device, dtype and threads, but " + string.Join(", ", off.Select(f => $"{f.Case} {f}")));
    }

    // What makes the profile's numbers belong to another software stack, whatever the factors say.
    private static List<string> StackDifferences(Fingerprint there, Fingerprint here)
    {
        var reasons = new List<string>();
        if (there.Backend != here.Backend) reasons.Add($"another backend ({there.Backend} in the profile, {here.Backend} here)");
        else if (there.BackendVersion != here.BackendVersion) reasons.Add($"another backend version ({there.BackendVersion} in the profile, {here.BackendVersion} here)");
        if (DeviceKind(there.Device) != DeviceKind(here.Device)) reasons.Add($"another device kind ({there.Device} in the profile, {here.Device} here)");
        if (there.DType != here.DType) reasons.Add($"another dtype ({there.DType} in the profile, {here.DType} here)");
        if (there.Threads != here.Threads) reasons.Add($"another thread count ({there.Threads} in the profile, {here.Threads} here)");
        return reasons.Select(PrintableText.Line).ToList();
    }

    // A suite written by an older version of the case: its time is not comparable with this one's.
    private static string RanOtherwise(ReferenceCase there, ReferenceCase here) =>
        PrintableText.Line($"ran another way there (\"{there.Description}\"; here \"{here.Description}\")");

    private static string DeviceKind(string device) => device.Split(':')[0].Trim().ToLowerInvariant();

    /// <summary>Every fingerprint field (machine details included) whose value differs, the date left out.</summary>
    public static IReadOnlyList<FingerprintDifference> DifferencesOf(Fingerprint there, Fingerprint here)
    {
        var a = Fields(there);
        var b = Fields(here);
        return a.Keys.Union(b.Keys)
            .Select(k => new FingerprintDifference(k, a.GetValueOrDefault(k, NotRecorded), b.GetValueOrDefault(k, NotRecorded)))
            .Where(d => d.There != d.Here)
            .ToList();
    }

    private static Dictionary<string, string> Fields(Fingerprint f)
    {
        var c = CultureInfo.InvariantCulture;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["os"] = f.Os, ["cpuModel"] = f.CpuModel, ["logicalCores"] = f.LogicalCores.ToString(c),
            ["memoryBytes"] = f.MemoryBytes.ToString(c), ["dotNetVersion"] = f.DotNetVersion, ["backend"] = f.Backend,
            ["backendVersion"] = f.BackendVersion, ["device"] = f.Device, ["provider"] = f.Provider, ["gpuName"] = f.GpuName,
            ["gpuDriver"] = f.GpuDriver, ["threads"] = f.Threads.ToString(c), ["dtype"] = f.DType, ["toolVersion"] = f.ToolVersion,
        };
        foreach (var (key, value) in f.ThreadSettings) fields[$"threadSettings.{key}"] = value;
        // A side without machine details shows each of the other side's as not recorded.
        foreach (var (name, value) in f.Machine?.Fields() ?? []) fields[$"machine.{name}"] = value;
        return fields;
    }
}
