using System.Globalization;
using System.Text;

namespace Profiler.Core;

/// <summary>
/// Text from files (a CPU name, a case variant, a field name) made safe to show on a terminal: every control
/// character, escape sequences included, is written as a visible escape such as <c>\u001B</c>, so a shared file
/// cannot move the cursor, recolour or clear the screen of whoever reads it.
/// </summary>
public static class PrintableText
{
    /// <summary><paramref name="text"/> with each control character replaced by its <c>\uXXXX</c> escape.</summary>
    public static string Of(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>One line: line breaks become spaces, then every other control character is escaped.</summary>
    public static string Line(string text) => Of(text.ReplaceLineEndings(" ").Trim());
}
