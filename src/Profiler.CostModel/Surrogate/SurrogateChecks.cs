using Profiler.Core;
using Profiler.CostModel.Models;
using Profiler.CostModel.Training;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The checks made on a chosen model's surrogate at fit time, on the profiled grid: agreement with the fitted model,
/// the smallest slope over the token range, and whether it rises wherever the measurements rise.
/// </summary>
public static class SurrogateChecks
{
    /// <summary>Step of the token grid the slope is checked on.</summary>
    public const double SlopeStep = 0.25;

    /// <summary>Checks <paramref name="model"/> (soft) against <paramref name="fittedUs"/> on <paramref name="rows"/>.</summary>
    public static SurrogateCheck Run(OperatorCostModel model, IReadOnlyList<TrainingRow> rows, Func<OperatorCase, double> fittedUs)
    {
        double deviation = rows.Max(r => Math.Abs(model.PredictSoftUs(r.Case) / fittedUs(r.Case) - 1));
        double minSlope = double.PositiveInfinity;
        int rising = 0, kept = 0;
        foreach (var path in Paths(rows))
        {
            double ratio = path.Ratio;
            var shape = path.Shape;
            double Value(double n) => model.PredictSoftUs(shape, n, ratio * n);
            var points = path.Rows;
            for (double n = points[0].Case.TokensIn; n <= points[^1].Case.TokensIn; n += SlopeStep)
                minSlope = Math.Min(minSlope, Math.Abs(Slope(Value, n)));
            for (int i = 0; i + 1 < points.Count; i++)
            {
                if (points[i + 1].LatencyUs <= points[i].LatencyUs) continue;
                rising++;
                if (RisesThroughout(Value, points[i].Case.TokensIn, points[i + 1].Case.TokensIn)) kept++;
            }
        }
        return new SurrogateCheck(model.Trees?.Temperature ?? 0, rows.Count, deviation, double.IsFinite(minSlope) ? minSlope : 0, rising, kept);
    }

    /// <summary>Central-difference slope of <paramref name="f"/> at <paramref name="n"/>.</summary>
    public static double Slope(Func<double, double> f, double n, double h = 1e-3) => (f(n + h) - f(n - h)) / (2 * h);

    private static bool RisesThroughout(Func<double, double> f, double from, double to)
    {
        const int steps = 32;
        double previous = f(from);
        for (int s = 1; s <= steps; s++)
        {
            double next = f(from + (to - from) * s / steps);
            if (next <= previous) return false;
            previous = next;
        }
        return true;
    }

    // Cases that differ only in their token counts, at one retention ratio (1 for non-reductions), ordered by tokens in.
    private static IEnumerable<(CaseShape Shape, double Ratio, IReadOnlyList<TrainingRow> Rows)> Paths(IReadOnlyList<TrainingRow> rows) =>
        rows.GroupBy(r => (Shape: CaseShape.Of(r.Case), Ratio: Math.Round((double)r.Case.TokensOut / r.Case.TokensIn, 2)))
            .Select(g => (g.Key.Shape, g.Key.Ratio, (IReadOnlyList<TrainingRow>)g.OrderBy(r => r.Case.TokensIn).ToList()))
            .Where(p => p.Item3.Count >= 2);
}
