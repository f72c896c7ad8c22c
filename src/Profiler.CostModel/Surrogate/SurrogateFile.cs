using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// Reads and writes surrogate files. Writing hashes the document, checks that it reads back, and replaces the file
/// atomically. Reading refuses anything that is not a complete, unedited surrogate of a known schema version with an
/// <see cref="InputException"/> that names the file and the first problem in one line.
/// </summary>
public static class SurrogateFile
{
    /// <summary>What every content hash starts with.</summary>
    public const string HashPrefix = "sha256:";

    private static readonly JsonSerializerOptions Indented = Options(indented: true);
    private static readonly JsonSerializerOptions Compact = Options(indented: false);

    /// <summary>The default surrogate path beside a profile: x.profile.json → x.surrogate.json.</summary>
    public static string PathBeside(string profilePath)
    {
        var name = Path.GetFileName(profilePath);
        const string suffix = ".profile.json";
        var stem = name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? name[..^suffix.Length] : Path.GetFileNameWithoutExtension(name);
        return Path.Combine(Path.GetDirectoryName(profilePath) ?? "", stem + ".surrogate.json");
    }

    /// <summary>The content hash of a document (its own <see cref="SurrogateDocument.ContentHash"/> ignored).</summary>
    public static string Hash(SurrogateDocument document) =>
        HashPrefix + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document with { ContentHash = "" }, Compact)));

    /// <summary>The file's bytes for a document, with its content hash filled in.</summary>
    public static byte[] Serialize(SurrogateDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document with { ContentHash = Hash(document) }, Indented);

    /// <summary>Writes <paramref name="document"/> to <paramref name="path"/> atomically; returns it with its hash.</summary>
    /// <exception cref="InputException">The file exists and <paramref name="force"/> is false, or it cannot be written.</exception>
    public static SurrogateDocument Write(string path, SurrogateDocument document, bool force)
    {
        var target = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(target)) throw new InputException($"{path} is a folder; give the surrogate a file name");
        if (File.Exists(target) && !force) throw new InputException(AtomicFile.ExistsMessage(path));
        var bytes = Serialize(document);
        // Read back with the reader's own rules, so that nothing is written that predict would refuse.
        var written = Parse(path, bytes);
        AtomicFile.Write(target, bytes, overwrite: force);
        return written;
    }

    /// <summary>Reads and checks the surrogate at <paramref name="path"/>.</summary>
    public static SurrogateDocument Read(string path) => ReadChecked(path).Document;

    /// <summary>
    /// Like <see cref="Read"/>, with the very bytes that were checked (the one read of the file): what a copy such as
    /// <c>publish</c> must write, whatever happens to the file meanwhile.
    /// </summary>
    public static (SurrogateDocument Document, byte[] Bytes) ReadChecked(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"{path}: is a folder, not a surrogate file");
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be read: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        return (Parse(path, bytes), bytes);
    }

    /// <summary>Parses and checks surrogate bytes; <paramref name="name"/> says where they came from in errors.</summary>
    public static SurrogateDocument Parse(string name, ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) throw Bad(name, "the file is empty");
        SurrogateDocument? document;
        try
        {
            using (var json = JsonDocument.Parse(utf8.ToArray()))
                CheckHeader(name, json.RootElement);
            document = JsonSerializer.Deserialize<SurrogateDocument>(utf8, Indented);
        }
        catch (JsonException e)
        {
            throw Bad(name, $"not a valid surrogate ({e.Message.ReplaceLineEndings(" ")})");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            throw Bad(name, $"not a valid surrogate ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (document is null) throw Bad(name, "not a valid surrogate (null)");
        if (SurrogateValidator.FindProblem(document) is { } problem) throw Bad(name, problem);
        if (document.ContentHash != Hash(document))
            throw Bad(name, "contentHash does not match the contents (edited or damaged after it was written?)");
        return document;
    }

    private static void CheckHeader(string name, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad(name, "not a surrogate file (the top level is not a JSON object)");
        if (root.TryGetProperty("cases", out _) && root.TryGetProperty("fingerprint", out _))
            throw Bad(name, "this is a profile, not a surrogate; make one with: profiler fit " + name);
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != SurrogateDocument.FormatName)
            throw Bad(name, $"not a surrogate file (no \"format\": \"{SurrogateDocument.FormatName}\")");
        if (!root.TryGetProperty("schemaVersion", out var version) || !version.TryGetInt32(out int v))
            throw Bad(name, "schemaVersion is missing or not a whole number");
        if (v != SurrogateDocument.CurrentSchemaVersion)
            throw Bad(name, $"schemaVersion {v} is not supported (this tool reads version {SurrogateDocument.CurrentSchemaVersion}); refit with this tool");
    }

    private static InputException Bad(string name, string problem) => new($"{name}: {problem}");

    private static JsonSerializerOptions Options(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
    };
}
