using Profiler.Core;
using Profiler.Profiles.Json;

namespace Profiler.Profiles;

/// <summary>Writes profile files: hashed, validated, and atomically, so a reader never sees half a file.</summary>
public static class ProfileWriter
{
    /// <summary>
    /// Computes the content hash of <paramref name="document"/> and writes it to <paramref name="path"/>, creating
    /// the folder if needed. The bytes go to a temporary file in the same folder first and then replace the
    /// target in one move. Returns the document as written (with its hash).
    /// </summary>
    /// <exception cref="InputException">The file exists and <paramref name="force"/> is false, or it cannot be written.</exception>
    /// <exception cref="ArgumentException">The document is of a schema before 3 but carries machine details or a
    /// reference suite (they would be lost), or it would not pass <see cref="ProfileValidator"/> (a NaN, a
    /// zero latency, a repeated case, …); the message names the field. Nothing is written.</exception>
    public static ProfileDocument Write(string path, ProfileDocument document, bool force)
    {
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target)) throw new InputException($"{path} is a folder; give the profile a file name");
        if (File.Exists(target) && !force) throw new InputException(AtomicFile.ExistsMessage(path));

        if (document.SchemaVersion < ProfileDocument.FirstSchemaWithReference && (document.Reference is not null || document.Fingerprint.Machine is not null))
            throw new ArgumentException($"profile not written: schema {document.SchemaVersion} has no place for machine details or a reference suite", nameof(document));
        var hashed = document.WithComputedHash();
        var bytes = ProfileJsonWriter.File(hashed);
        // Check with the reader's own rules so that this never writes a file that cannot be read back.
        var check = ProfileValidator.Validate(path, bytes);
        if (!check.IsValid) throw new ArgumentException($"profile not written: {check.Problem}", nameof(document));

        AtomicFile.Write(path, bytes, overwrite: force);
        return hashed;
    }
}
