using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// The published profile of one backend on one device: what it ran on, how it was measured, the device's ceilings,
/// the drift seen during the run and the statistics of every case. Read and written by <see cref="ProfileReader"/>
/// and <see cref="ProfileWriter"/>.
/// </summary>
public sealed record ProfileDocument
{
    /// <summary>
    /// The file format version this code writes. Version 3 adds the machine details to the fingerprint and the
    /// reference suite (<see cref="Reference"/>); version 2 gives each case a primary latency (<c>latencyUs</c>, the
    /// p10, with its interval); files of versions 1 and 2 still read, with no machine details and no suite, and
    /// version 1's latency is its median.
    /// </summary>
    public const int CurrentSchemaVersion = 3;

    /// <summary>The first version with the machine details and the reference suite.</summary>
    public const int FirstSchemaWithReference = 3;

    /// <summary>File format version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Hardware and software the profile was measured on.</summary>
    public required Fingerprint Fingerprint { get; init; }

    /// <summary>How the run was set up.</summary>
    public required RunSettings Settings { get; init; }

    /// <summary>Peak throughput of the device.</summary>
    public required DeviceCeilings Ceilings { get; init; }

    /// <summary>Drift seen during the run and its correction.</summary>
    public required DriftRecord Drift { get; init; }

    /// <summary>
    /// The reference suite measured at the start of the run through the same backend (schema 3), which
    /// <c>check</c> compares with a run of it elsewhere; null in files before schema 3 (stale: they cannot be checked).
    /// </summary>
    public ReferenceSuite? Reference { get; init; }

    /// <summary>True when the file cannot be checked against another machine: it has no reference suite.</summary>
    public bool IsStale => Reference is null;

    /// <summary>One entry per measured case, no two with the same <see cref="OperatorCase.Key"/>.</summary>
    public required IReadOnlyList<CaseEntry> Cases { get; init => field = ValueList<CaseEntry>.From(value); }

    /// <summary>
    /// "sha256:" and the hex SHA-256 of everything else (see <see cref="ProfileHash"/>); empty until written.
    /// <see cref="ProfileWriter"/> fills it in.
    /// </summary>
    public string ContentHash { get; init; } = "";

    /// <summary>This document with <see cref="ContentHash"/> computed from its contents.</summary>
    public ProfileDocument WithComputedHash() => this with { ContentHash = ProfileHash.Compute(this) };

    /// <summary>
    /// Value equality. Written out because <see cref="Core.Fingerprint"/> compares its thread settings by reference.
    /// </summary>
    public bool Equals(ProfileDocument? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && FingerprintsEqual(Fingerprint, other.Fingerprint)
        && Settings == other.Settings
        && Ceilings == other.Ceilings
        && Drift == other.Drift
        && Equals(Reference, other.Reference)
        && Cases.Equals(other.Cases)
        && ContentHash == other.ContentHash;

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(SchemaVersion, Fingerprint.HardwareKey, Settings, Ceilings, Drift, Cases, ContentHash);

    private static bool FingerprintsEqual(Fingerprint a, Fingerprint b)
    {
        var noSettings = new Dictionary<string, string>();
        return a with { ThreadSettings = noSettings } == b with { ThreadSettings = noSettings }
            && a.ThreadSettings.Count == b.ThreadSettings.Count
            && a.ThreadSettings.All(p => b.ThreadSettings.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
