using System.Text;
using System.Text.Json;

namespace Profiler.Profiles.Json;

/// <summary>
/// Explains why a file is not valid JSON, in one line that names the JSON path where it broke. JsonDocument says
/// only "line 40, byte 17"; this walks the tokens again, keeping track of where it is, to say "cases[12].medianUs".
/// Runs only after a parse failed.
/// </summary>
internal static class JsonSyntaxDiagnosis
{
    private static readonly string[] NamedNumbers = ["-Infinity", "+Infinity", "Infinity", "NaN"];

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// "path: problem" for the first syntax error or repeated field in <paramref name="utf8"/>;
    /// <paramref name="parseError"/> is what the parser said, used if the walk finds nothing.
    /// </summary>
    public static string Describe(ReadOnlySpan<byte> utf8, string parseError)
    {
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var top = frames[^1];
                        top.Property = reader.GetString();
                        if (!top.Names.Add(top.Property!))
                            return $"{PathOf(frames)}: appears twice in the same object";
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextElement(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        NextElement(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // The element that failed is the one after the last complete one.
            NextElement(frames);
            var path = PathOf(frames);
            return (path.Length == 0 ? "" : path + ": ") + Reason(utf8, e, path);
        }
        catch (InvalidOperationException)
        {
            var after = PathOf(frames);
            return after.Length == 0 ? "a field name is not valid Unicode text" : $"a field name after {after} is not valid Unicode text";
        }
        return "not valid JSON: " + WithoutPosition(parseError);
    }

    private static void NextElement(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray && frame.Index >= 0) path.Append('[').Append(frame.Index).Append(']');
            else if (!frame.IsArray && frame.Property is not null)
                path.Append(path.Length == 0 ? "" : ".").Append(frame.Property);
        }
        return path.ToString();
    }

    private static string Reason(ReadOnlySpan<byte> utf8, JsonException e, string path)
    {
        int line = (int)(e.LineNumber ?? 0);
        int offset = OffsetOf(utf8, line, (int)(e.BytePositionInLine ?? 0));
        if (offset >= utf8.TrimEnd(" \t\r\n"u8).Length)
            return "the file ends before the JSON does (truncated?)";
        // A sign before NaN/Infinity is consumed before the reader fails.
        int start = offset > 0 && utf8[offset - 1] is (byte)'-' or (byte)'+' ? offset - 1 : offset;
        foreach (var name in NamedNumbers)
        {
            if (!utf8[start..].StartsWith(Encoding.ASCII.GetBytes(name))) continue;
            // Latency fields end in "Us" (medianUs, p90Us, …).
            var what = path.EndsWith("Us", StringComparison.Ordinal) ? "a latency" : "a finite number";
            return $"{name} is not {what} (and not valid JSON, line {line + 1})";
        }
        return $"not valid JSON at line {line + 1}: {WithoutPosition(e.Message)}";
    }

    private static int OffsetOf(ReadOnlySpan<byte> utf8, int line, int bytePositionInLine)
    {
        int offset = 0;
        for (int i = 0; i < line; i++)
        {
            int newline = utf8[offset..].IndexOf((byte)'\n');
            if (newline < 0) break;
            offset += newline + 1;
        }
        return Math.Min(offset + bytePositionInLine, utf8.Length);
    }

    // System.Text.Json appends " LineNumber: 3 | BytePositionInLine: 14."; the line is said separately.
    private static string WithoutPosition(string message)
    {
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = at < 0 ? message : message[..at];
        return text.ReplaceLineEndings(" ").TrimEnd('.', ' ');
    }
}
