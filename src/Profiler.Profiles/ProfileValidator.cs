using System.Buffers;
using System.Text;
using System.Text.Json;
using Profiler.Profiles.Json;

namespace Profiler.Profiles;

/// <summary>
/// Checks a profile file and reports its first problem as one line naming the field: not found, empty, not text,
/// not JSON, unknown schema version, missing or mistyped fields, impossible values (non-finite, non-positive
/// latencies, unordered quantiles, tokensOut above tokensIn, unknown operators), repeated cases and, last, a content
/// hash that does not match. Only reads the file.
/// </summary>
public static class ProfileValidator
{
    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Checks the file at <paramref name="path"/>.</summary>
    public static ProfileValidation Validate(string path)
    {
        if (Directory.Exists(path)) return ProfileValidation.Invalid(path, "is a folder, not a profile file");
        if (!File.Exists(path)) return ProfileValidation.Invalid(path, "file not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ProfileValidation.Invalid(path, "cannot be read: " + e.Message.ReplaceLineEndings(" "));
        }
        return Validate(path, bytes);
    }

    /// <summary>Checks a profile's bytes; <paramref name="name"/> says where they came from in the result.</summary>
    public static ProfileValidation Validate(string name, ReadOnlySpan<byte> utf8)
    {
        var problem = FindProblem(utf8, out var document);
        return problem is null ? ProfileValidation.Valid(name, document!, utf8.ToArray()) : ProfileValidation.Invalid(name, problem);
    }

    private static string? FindProblem(ReadOnlySpan<byte> utf8, out ProfileDocument? document)
    {
        document = null;
        // Editors on Windows may add a byte-order mark; JSON readers refuse it.
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) return "the file is empty";
        if (FirstNonText(utf8) is int bad)
            return $"byte {bad} (0x{utf8[bad]:X2}) is not UTF-8 text; this is not a profile file (binary or corrupted?)";

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8.ToArray(), ParseOptions);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a field name whose escapes decode to broken UTF-16 (a lone surrogate).
            return JsonSyntaxDiagnosis.Describe(utf8, e.Message);
        }
        using (json)
        {
            try
            {
                document = ProfileJsonParser.Parse(json.RootElement);
            }
            catch (ProfileFormatException e)
            {
                return e.Message;
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString refuses escapes that decode to broken UTF-16 (a lone surrogate).
                return "a string holds an escape that is not valid Unicode text";
            }
        }
        if (document.ContentHash != ProfileHash.Compute(document))
        {
            document = null;
            return "contentHash does not match the measurements (edited after it was written?)";
        }
        return null;
    }

    // Offset of the first byte that is not part of UTF-8 text (invalid sequences or NUL), or null.
    private static int? FirstNonText(ReadOnlySpan<byte> utf8)
    {
        int offset = 0;
        while (offset < utf8.Length)
        {
            var status = Rune.DecodeFromUtf8(utf8[offset..], out var rune, out int consumed);
            if (status != OperationStatus.Done || rune.Value == 0) return offset;
            offset += consumed;
        }
        return null;
    }
}
