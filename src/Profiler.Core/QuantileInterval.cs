using MathNet.Numerics.Distributions;

namespace Profiler.Core;

/// <summary>
/// Distribution-free confidence intervals for a quantile from order statistics. Of n independent samples, the
/// number B that fall below the true q-quantile is Binomial(n, q); the interval [X(l), X(u)] misses the quantile
/// below with probability P(B ≥ u) and above with P(B &lt; l). Each tail is held within (1 − level)/2, so the
/// coverage is at least the level whatever the distribution.
/// </summary>
public static class QuantileInterval
{
    /// <summary>
    /// The 1-based ranks (l, u) of the narrowest equal-tailed interval: l the largest rank with P(B &lt; l) within
    /// the tail, u the smallest with P(B ≥ u) within it. Null when n is too small for any rank to bound one side.
    /// </summary>
    public static (int Lower, int Upper)? Ranks(int n, double quantile, double level)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "at least one sample is needed");
        if (!(quantile > 0 && quantile < 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "must be in (0, 1)");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "must be in (0, 1)");
        double tail = (1 - level) / 2;
        // P(B < l) = CDF(l − 1) grows with l; take the largest l that keeps it within the tail.
        int lower = 0;
        while (lower < n && Binomial.CDF(quantile, n, lower) <= tail) lower++;
        // P(B ≥ u) = 1 − CDF(u − 1) shrinks with u; take the smallest u that brings it within the tail.
        int upper = n + 1;
        while (upper > 1 && 1 - Binomial.CDF(quantile, n, upper - 2) <= tail) upper--;
        if (lower < 1 || upper > n) return null;
        return (lower, upper);
    }
}
