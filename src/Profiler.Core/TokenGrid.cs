using System.Globalization;

namespace Profiler.Core;

/// <summary>Token-count lists as users write them: "32,64,100" or "start:stop:step" (stop included).</summary>
public static class TokenGrid
{
    /// <summary>Most tokens a case may have: 16,384, sixteen times ViT-L at 512 px (1,024) and LLaVA's 576 + text.</summary>
    public const int MostTokens = 16_384;

    /// <summary>Most token counts one grid may list.</summary>
    public const int MostCounts = 1_000;

    /// <summary>start, start+step, … up to and including stop when it lies on the grid.</summary>
    public static IReadOnlyList<int> Range(int start, int stop, int step)
    {
        if (start < 1 || stop < start || step < 1)
            throw new InputException($"token range {start}:{stop}:{step} needs 1 ≤ start ≤ stop and step ≥ 1");
        if (stop > MostTokens) throw new InputException($"token range {start}:{stop}:{step} goes past {MostTokens} tokens, the most a case may have");
        if ((stop - start) / step + 1 > MostCounts)
            throw new InputException($"token range {start}:{stop}:{step} lists {(stop - start) / step + 1} token counts; at most {MostCounts} (raise the step)");
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
        if (values[^1] > MostTokens) throw new InputException($"{values[^1]} tokens in --tokens '{text}' is more than {MostTokens}, the most a case may have");
        if (values.Count > MostCounts) throw new InputException($"--tokens lists {values.Count} token counts; at most {MostCounts}");
        return values;
    }

    private static int ParseCount(string part, string whole)
    {
        if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new InputException($"'{part}' in --tokens '{whole}' is not a positive whole number");
        return n;
    }
}
