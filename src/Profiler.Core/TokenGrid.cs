using System.Globalization;

namespace Profiler.Core;

/// <summary>Token-count lists as users write them: "32,64,100" or "start:stop:step" (stop included).</summary>
public static class TokenGrid
{
    /// <summary>start, start+step, … up to and including stop when it lies on the grid.</summary>
    public static IReadOnlyList<int> Range(int start, int stop, int step)
    {
        if (start < 1 || stop < start || step < 1)
            throw new InputException($"token range {start}:{stop}:{step} needs 1 ≤ start ≤ stop and step ≥ 1");
        var list = new List<int>();
        for (int n = start; n <= stop; n += step) list.Add(n);
        return list;
    }

    /// <summary>Parses a list or a range; the result is sorted and without repeats.</summary>
    public static IReadOnlyList<int> Parse(string text)
    {
        var t = text.Trim();
        if (t.Contains(':'))
        {
            var parts = t.Split(':');
            if (parts.Length != 3)
                throw new InputException($"token range '{text}' must be start:stop:step");
            return Range(ParseCount(parts[0], text), ParseCount(parts[1], text), ParseCount(parts[2], text));
        }
        var values = t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => ParseCount(p, text)).Distinct().Order().ToList();
        if (values.Count == 0) throw new InputException("--tokens is empty");
        return values;
    }

    private static int ParseCount(string part, string whole)
    {
        if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new InputException($"'{part}' in --tokens '{whole}' is not a positive whole number");
        return n;
    }
}
