namespace Profiler.Profiles.Json;

/// <summary>
/// The first problem found in a profile file, as one line: the JSON path of the bad field and what is wrong.
/// Used inside the parser to stop at the first problem; <see cref="ProfileValidator"/> turns it into a result.
/// </summary>
internal sealed class ProfileFormatException(string path, string problem) : Exception(Line(path, problem))
{
    private const int MaxQuoted = 40;

    private static string Line(string path, string problem) => path.Length == 0 ? problem : $"{path}: {problem}";

    /// <summary>Text from the file made safe to show in a one-line message: short, control characters escaped.</summary>
    public static string Quote(string text)
    {
        var shown = text.Length > MaxQuoted ? text[..MaxQuoted] + "…" : text;
        var escaped = string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return "\"" + escaped + "\"";
    }
}
