using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using Profiler.CostModel.Features;

namespace Profiler.CostModel.Models;

/// <summary>
/// The soft form of a tree ensemble at one shape. With the shape's sizes fixed, the ensemble is a step function of
/// the token counts: constant on the cells between its split thresholds on tokens in (n) and tokens out (k), or the
/// retention ratio k/n for the trees that read that instead (see <see cref="Fitting.MlTreeRegressor"/>). Reading
/// the cell values off the hard ensemble and writing the function as sums of steps,
/// T(n, k) = Σᵢⱼ Dᵢⱼ·Hᵢ(n)·Hⱼ(k) with H₀ = 1 and Hᵢ the step at the i-th threshold, every step is then softened into
/// σ((x − center)/scale) with scale = max(temperature·width, floor). Each split threshold of every tree becomes one
/// sigmoid (trees that split at the same place share it), so the cost is that of a few dozen sigmoids, not of every
/// leaf of every tree, and the soft function equals the hard one at the profiled token counts up to the tails.
/// </summary>
/// <remarks>
/// The floor keeps the surrogate rising where the fitted model rises. The surrogate is trend·exp(T); a step down of
/// T by J between two profiled token counts that the trend's growth more than makes up is still a dip if the sigmoid
/// is steeper than the trend (slope |J|/(4·scale) against the trend's log-slope g). So a step down is spread to at
/// least |J|/g tokens, which leaves it a quarter of the trend's slope and room for neighbouring steps (of n and of k
/// along a reduction's path) that overlap it, as long as its tails then leak at most the ensemble's
/// <see cref="TreeEnsemble.FloorLeak"/> onto the profiled points.
/// </remarks>
public sealed class SoftStepTable
{
    /// <summary>The floor leak tried first, in log units (0.25%).</summary>
    public const double DefaultLeakBudget = 0.0025;

    private static readonly ConditionalWeakTable<TreeEnsemble, ConcurrentDictionary<(LinearCost, CaseShape, double), SoftStepTable>> Cache = new();

    private SoftStepTable(Axis axisIn, Axis axisOut, bool outIsRatio, double[,] steps)
    {
        OutIsRatio = outIsRatio;
        CentersIn = axisIn.Centers;
        WidthsIn = axisIn.Widths;
        FloorsIn = axisIn.Floors;
        CentersOut = axisOut.Centers;
        WidthsOut = axisOut.Widths;
        FloorsOut = axisOut.Floors;
        Steps = steps;
    }

    /// <summary>Thresholds on tokens in (for a non-reduction, also those on tokens out, which equals it), ascending.</summary>
    public IReadOnlyList<double> CentersIn { get; }

    /// <summary>Widths of <see cref="CentersIn"/>: the gap between the profiled token counts either side.</summary>
    public IReadOnlyList<double> WidthsIn { get; }

    /// <summary>Smallest scale of each of <see cref="CentersIn"/>, in tokens (0 for a step up).</summary>
    public IReadOnlyList<double> FloorsIn { get; }

    /// <summary>Whether the second axis is the retention ratio k/n rather than tokens out.</summary>
    public bool OutIsRatio { get; }

    /// <summary>Thresholds on the second axis (reductions only: tokens out, or the ratio when <see cref="OutIsRatio"/>), ascending.</summary>
    public IReadOnlyList<double> CentersOut { get; }

    /// <summary>Widths of <see cref="CentersOut"/>.</summary>
    public IReadOnlyList<double> WidthsOut { get; }

    /// <summary>Smallest scale of each of <see cref="CentersOut"/>, in tokens.</summary>
    public IReadOnlyList<double> FloorsOut { get; }

    /// <summary>Step heights D, (thresholds in + 1) × (thresholds out + 1); D[0, 0] is the value below every threshold.</summary>
    public double[,] Steps { get; }

    /// <summary>The table of <paramref name="ensemble"/> over the trend <paramref name="trend"/> at <paramref name="shape"/> (built once).</summary>
    public static SoftStepTable For(TreeEnsemble ensemble, LinearCost trend, CaseShape shape) => For(ensemble, trend, shape, ensemble.FloorLeak);

    /// <summary>The table with another floor leak than the ensemble's (for fitting it).</summary>
    public static SoftStepTable For(TreeEnsemble ensemble, LinearCost trend, CaseShape shape, double floorLeak) =>
        Cache.GetOrCreateValue(ensemble).GetOrAdd((trend, shape, floorLeak), key => Build(ensemble, key.Item1, key.Item2, key.Item3));

    /// <summary>The sigmoid scales of the thresholds on tokens in at <paramref name="temperature"/>.</summary>
    public double[] ScalesIn(double temperature) => Scales(WidthsIn, FloorsIn, temperature);

    /// <summary>The sigmoid scales of the thresholds on tokens out at <paramref name="temperature"/>.</summary>
    public double[] ScalesOut(double temperature) => Scales(WidthsOut, FloorsOut, temperature);

    /// <summary>The soft value at (n, k) with <paramref name="temperature"/>.</summary>
    public double Evaluate(double tokensIn, double tokensOut, double temperature)
    {
        var sIn = Sigmoids(tokensIn, CentersIn, ScalesIn(temperature));
        var sOut = Sigmoids(OutIsRatio ? tokensOut / tokensIn : tokensOut, CentersOut, ScalesOut(temperature));
        double sum = 0;
        for (int i = 0; i < sIn.Length; i++)
        {
            for (int j = 0; j < sOut.Length; j++) sum += Steps[i, j] * sIn[i] * sOut[j];
        }
        return sum;
    }

    private static double[] Scales(IReadOnlyList<double> widths, IReadOnlyList<double> floors, double temperature) =>
        widths.Select((w, i) => Math.Max(temperature * w, floors[i])).ToArray();

    private static double[] Sigmoids(double x, IReadOnlyList<double> centers, double[] scales)
    {
        var s = new double[centers.Count + 1];
        s[0] = 1;
        for (int i = 0; i < centers.Count; i++) s[i + 1] = 1 / (1 + Math.Exp(-(x - centers[i]) / scales[i]));
        return s;
    }

    private static SoftStepTable Build(TreeEnsemble ensemble, LinearCost trend, CaseShape shape, double leak)
    {
        bool reduction = shape.IsReduction;
        bool ratio = reduction && ensemble.SplitsOnRatio;
        var splits = ensemble.Trees.SelectMany(t => t.Splits).ToList();
        string nameIn = SizeFeatures.Names[SizeFeatures.TokensIn], nameOut = SizeFeatures.Names[ratio ? SizeFeatures.Ratio : SizeFeatures.TokensOut];
        // A non-reduction's tokens out is its tokens in: its thresholds on either lie on one axis.
        var onIn = Thresholds(splits.Where(s => s.Feature == nameIn || (!reduction && s.Feature == SizeFeatures.Names[SizeFeatures.TokensOut])));
        var onOut = reduction ? Thresholds(splits.Where(s => s.Feature == nameOut)) : [];
        // Each cell's value is the hard ensemble at a profiled token count inside it: the one just above its lower
        // threshold (center + width/2), or just below the first threshold for the lowest cell.
        var repIn = Representatives(onIn);
        var repOut = reduction ? Representatives(onOut) : [double.NaN];
        var constants = SizeFeatures.Constants(shape);
        var values = new double[repIn.Length, repOut.Length];
        for (int i = 0; i < repIn.Length; i++)
        {
            for (int j = 0; j < repOut.Length; j++)
            {
                double k = !reduction ? repIn[i] : ratio ? repOut[j] * repIn[i] : repOut[j];
                values[i, j] = ensemble.Evaluate(SizeFeatures.At(repIn[i], k, constants));
            }
        }
        // Mixed differences turn cell values into step heights: value(i, j) = Σ_{a≤i, b≤j} D[a, b].
        var steps = new double[repIn.Length, repOut.Length];
        for (int i = 0; i < repIn.Length; i++)
        {
            for (int j = 0; j < repOut.Length; j++)
            {
                steps[i, j] = values[i, j] - (i > 0 ? values[i - 1, j] : 0) - (j > 0 ? values[i, j - 1] : 0) + (i > 0 && j > 0 ? values[i - 1, j - 1] : 0);
            }
        }
        var form = trend.ToQuadratic(shape);
        var c = form.Coefficients;
        // Log-slopes of the trend along each axis, at tokens in n and second-axis value x; for a non-reduction both
        // token counts move together, and along n at a fixed ratio x so does k = x·n.
        double PartialN(double n, double k) => c[1] + 2 * c[3] * n + c[4] * k;
        double PartialK(double n, double k) => c[2] + c[4] * n + 2 * c[5] * k;
        double SlopeIn(double n, double x) => !reduction
            ? (c[1] + c[2] + 2 * (c[3] + c[4] + c[5]) * n) / form.Evaluate(n, n)
            : ratio ? (PartialN(n, x * n) + x * PartialK(n, x * n)) / form.Evaluate(n, x * n)
            : PartialN(n, x) / form.Evaluate(n, x);
        double SlopeOut(double n, double x) => ratio
            ? n * PartialK(n, x * n) / form.Evaluate(n, x * n)
            : PartialK(n, x) / form.Evaluate(n, x);
        var floorsIn = onIn.Select((a, i) => Floor(leak, a.Width,
            Enumerable.Range(0, repOut.Length).Min(j => values[i + 1, j] - values[i, j]),
            Enumerable.Range(0, repOut.Length).Min(j => SlopeIn(a.Center, reduction ? repOut[j] : a.Center)))).ToArray();
        var floorsOut = onOut.Select((a, j) => Floor(leak, a.Width,
            Enumerable.Range(0, repIn.Length).Min(i => values[i, j + 1] - values[i, j]),
            Enumerable.Range(0, repIn.Length).Min(i => SlopeOut(repIn[i], a.Center)))).ToArray();
        return new SoftStepTable(
            new Axis(onIn.Select(a => a.Center).ToArray(), onIn.Select(a => a.Width).ToArray(), floorsIn),
            new Axis(onOut.Select(a => a.Center).ToArray(), onOut.Select(a => a.Width).ToArray(), floorsOut), ratio, steps);
    }

    // The smallest scale of a step of height `jump` (log units) where the trend's log-slope is `slope`.
    private static double Floor(double leak, double width, double jump, double slope)
    {
        if (jump >= 0 || leak <= 0) return 0;
        double wanted = slope > 0 ? -jump / slope : double.PositiveInfinity;
        // The leak onto the profiled points half a width away is |J|·σ(−width/(2·scale)); keep it within budget.
        double cap = -jump <= 2 * leak ? 4 * width : width / (2 * Math.Log(-jump / leak - 1));
        return Math.Min(wanted, Math.Min(cap, 4 * width));
    }

    private sealed record Axis(double[] Centers, double[] Widths, double[] Floors);

    private static (double Center, double Width)[] Thresholds(IEnumerable<TreeSplit> splits) =>
        splits.GroupBy(s => s.Center).Select(g => (g.Key, g.Max(s => s.Width))).OrderBy(a => a.Key).ToArray();

    private static double[] Representatives((double Center, double Width)[] axis) =>
        axis.Length == 0 ? [0] : [axis[0].Center - axis[0].Width / 2, .. axis.Select(a => a.Center + a.Width / 2)];
}
