using Profiler.Core;

namespace Profiler.Search;

/// <summary>
/// A sweep over latency targets read as frontiers: at each target, the latency search against the best fixed operator
/// measured in the same run (accuracy difference paired on the same questions), the FLOPs search's measured share
/// against the latency target it was meant to meet, and what the fixed operators reach at the latency search's own
/// measured share, read off their frontiers (accuracy interpolated linearly between the sweep's measured points).
/// </summary>
/// <param name="TargetFraction">The latency target as a share of the unreduced model.</param>
/// <param name="Search">The latency search.</param>
/// <param name="BestFixed">The most accurate fixed operator at this target.</param>
/// <param name="SearchVersusFixed">Latency search minus best fixed, points, paired.</param>
/// <param name="Flops">The FLOPs search, or null when the sweep ran without baselines.</param>
/// <param name="FixedAtSearchShare">The best fixed operator's accuracy at the latency search's measured share, read
/// off the fixed frontiers, with that operator's name; null when no fixed frontier reaches that share.</param>
public sealed record FrontierRow(double TargetFraction, MethodResult Search, MethodResult? BestFixed, PairedDifference? SearchVersusFixed,
    MethodResult? Flops, (string Name, double Accuracy)? FixedAtSearchShare);

/// <summary>Builds <see cref="FrontierRow"/>s from a sweep's reports.</summary>
public static class Frontier
{
    /// <summary>Prefix of the fixed baselines' names.</summary>
    public const string FixedPrefix = "fixed ";

    /// <summary>One row per report, in target order; reports without a target fraction are left out.</summary>
    public static IReadOnlyList<FrontierRow> Of(IReadOnlyList<SearchReport> reports)
    {
        var frontiers = reports.SelectMany(r => r.Methods).Where(m => m.Name.StartsWith(FixedPrefix, StringComparison.Ordinal))
            .GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Share.Median).ToList());
        var rows = new List<FrontierRow>();
        foreach (var report in reports.Where(r => r.TargetFraction is not null).OrderBy(r => r.TargetFraction))
        {
            var search = report.Main;
            var best = report.Methods.Where(m => m.Name.StartsWith(FixedPrefix, StringComparison.Ordinal)).MaxBy(m => m.Accuracy.Accuracy);
            var flops = report.Methods.Skip(1).FirstOrDefault(m => m.Name.EndsWith(" search", StringComparison.Ordinal));
            var read = frontiers.Select(f => (f.Key, Accuracy: AccuracyAt(f.Value, search.Share.Median)))
                .Where(p => p.Accuracy is not null).Select(p => (p.Key, p.Accuracy!.Value)).ToList();
            rows.Add(new FrontierRow(report.TargetFraction!.Value, search, best, best is null ? null : report.MainVersus(best), flops,
                read.Count == 0 ? null : read.MaxBy(p => p.Value)));
        }
        return rows;
    }

    /// <summary>Accuracy of a frontier (points sorted by measured share) at <paramref name="share"/>; null outside its range.</summary>
    public static double? AccuracyAt(IReadOnlyList<MethodResult> frontier, double share)
    {
        if (frontier.Count == 0 || share < frontier[0].Share.Median || share > frontier[^1].Share.Median) return null;
        for (int i = 0; i + 1 < frontier.Count; i++)
        {
            double x0 = frontier[i].Share.Median, x1 = frontier[i + 1].Share.Median;
            if (share > x1) continue;
            double y0 = frontier[i].Accuracy.Accuracy, y1 = frontier[i + 1].Accuracy.Accuracy;
            return x1 == x0 ? Math.Max(y0, y1) : y0 + (y1 - y0) * (share - x0) / (x1 - x0);
        }
        return frontier[^1].Accuracy.Accuracy;
    }
}
