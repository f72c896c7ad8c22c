using Profiler.Core;
using Spectre.Console;

namespace Profiler.Reports;

/// <summary>The one place where text that may come from a file enters Spectre.Console markup.</summary>
public static class TerminalText
{
    /// <summary>Markup that shows <paramref name="text"/> as it is: brackets escaped, control characters made visible.</summary>
    public static string Escape(string text) => Markup.Escape(PrintableText.Of(text));
}
