using MathNet.Numerics.LinearAlgebra;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// Least squares with every coefficient at least zero, for the few columns a roofline trend has. The optimum is the
/// unconstrained least-squares solution on some subset of the columns that happens to be non-negative, so for up to
/// a dozen columns it is found exactly by trying every subset (MathNet solves each).
/// </summary>
public static class NonNegativeLeastSquares
{
    /// <summary>Most columns this solver accepts (it tries 2^columns subsets).</summary>
    public const int MaxColumns = 12;

    /// <summary>Minimises ‖A·x − b‖² subject to x ≥ 0; columns that are all zero get 0.</summary>
    public static double[] Solve(Matrix<double> a, Vector<double> b)
    {
        int columns = a.ColumnCount;
        if (columns > MaxColumns) throw new ArgumentException($"at most {MaxColumns} columns", nameof(a));
        // Scale columns to unit norm so that the subset solves are well conditioned.
        var norms = Enumerable.Range(0, columns).Select(j => a.Column(j).L2Norm()).ToArray();
        var usable = Enumerable.Range(0, columns).Where(j => norms[j] > 0).ToArray();
        double[] best = new double[columns];
        double bestResidual = b.DotProduct(b);
        int bestCount = 0;
        for (int mask = 1; mask < 1 << usable.Length; mask++)
        {
            var chosen = usable.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            var sub = Matrix<double>.Build.Dense(a.RowCount, chosen.Length, (i, j) => a[i, chosen[j]] / norms[chosen[j]]);
            var x = sub.Svd().Solve(b);
            if (x.Any(v => v < 0 || !double.IsFinite(v))) continue;
            var r = sub * x - b;
            double residual = r.DotProduct(r);
            // Prefer fewer columns when a larger subset does not fit measurably better.
            if (residual < bestResidual * (1 - 1e-9) || (residual <= bestResidual * (1 + 1e-9) && chosen.Length < bestCount))
            {
                bestResidual = residual;
                bestCount = chosen.Length;
                best = new double[columns];
                for (int j = 0; j < chosen.Length; j++) best[chosen[j]] = x[j] / norms[chosen[j]];
            }
        }
        return best;
    }
}
