using System.Security.Cryptography;
using Profiler.Profiles.Json;

namespace Profiler.Profiles;

/// <summary>
/// The content hash of a profile: "sha256:" and the lowercase hex SHA-256 of the document's canonical JSON
/// (compact, same property order and number text as the file, without the <c>contentHash</c> field). It covers the
/// schema version, fingerprint, settings, ceilings, drift and cases. Because it is taken over the parsed values,
/// re-indenting a file keeps its hash; changing any value does not.
/// </summary>
public static class ProfileHash
{
    /// <summary>What every content hash starts with.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Computes the hash of <paramref name="document"/>; its own <see cref="ProfileDocument.ContentHash"/> is ignored.</summary>
    public static string Compute(ProfileDocument document) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(ProfileJsonWriter.Canonical(document)));
}
