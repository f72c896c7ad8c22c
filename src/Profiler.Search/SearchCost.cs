using Profiler.Core;

namespace Profiler.Search;

/// <summary>What the main search minimises.</summary>
public enum SearchCost
{
    /// <summary>Latency predicted by the device's surrogate (calibrated on measured forwards where it was profiled here).</summary>
    Latency,
    /// <summary>FLOPs, as published searches price a plan.</summary>
    Flops,
}

/// <summary>Names of costs, losses, scores and targets as users type them.</summary>
public static class SearchNames
{
    /// <summary>"latency" or "flops".</summary>
    public static string Name(this SearchCost cost) => cost == SearchCost.Flops ? "flops" : "latency";

    /// <summary>A cost by name; another name is bad input.</summary>
    public static SearchCost ParseCost(string text) => text.Trim().ToLowerInvariant() switch
    {
        "latency" => SearchCost.Latency,
        "flops" => SearchCost.Flops,
        _ => throw new InputException($"--cost must be latency or flops, not '{PrintableText.Line(text)}'"),
    };

    /// <summary>A loss by name; another name is bad input.</summary>
    public static SearchLoss ParseLoss(string text) => text.Trim().ToLowerInvariant() switch
    {
        "hinge" => SearchLoss.Hinge,
        "fbnet" => SearchLoss.Fbnet,
        _ => throw new InputException($"--loss must be hinge or fbnet, not '{PrintableText.Line(text)}'"),
    };

    /// <summary>The scores a search tries: the one named, or all of <see cref="LatencyCost.SearchScores"/> for "auto".</summary>
    public static IReadOnlyList<Profiler.Operators.Reduction.ScoreKind> ParseScores(string text) =>
        text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? LatencyCost.SearchScores : [Profiler.Operators.Reduction.ScoreKinds.Parse(text)];
}

/// <summary>A budget: a fraction of the unreduced model's cost, or an absolute latency.</summary>
/// <param name="Fraction">The fraction in (0, 1]; null with <paramref name="Latency"/>.</param>
/// <param name="Latency">The absolute latency; null with <paramref name="Fraction"/>.</param>
public sealed record SearchTarget(double? Fraction, Latency? Latency)
{
    /// <summary>"0.6" as a fraction, "12ms" as a latency; anything else, or a value out of range, is bad input.</summary>
    public static SearchTarget Parse(string text)
    {
        var t = text.Trim();
        if (double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var fraction))
        {
            if (!(fraction > 0 && fraction <= 1)) throw new InputException($"--target {t}: a fraction must lie in (0, 1]");
            return new(fraction, null);
        }
        var latency = Core.Latency.Parse(t);
        if (!(latency.Milliseconds > 0)) throw new InputException($"--target {t}: a latency budget must be positive");
        return new(null, latency);
    }

    /// <summary>Targets separated by commas ("0.45,0.55,0.65").</summary>
    public static IReadOnlyList<SearchTarget> ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    /// <summary>The target as a label for file names: "0.6" or "12ms".</summary>
    public string Label => Fraction?.ToString(System.Globalization.CultureInfo.InvariantCulture)
        ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Latency!.Value.Milliseconds}ms");
}
