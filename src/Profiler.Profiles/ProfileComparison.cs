using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// One case measured in both profiles. The ratio is B's latency over A's (each profile's primary estimate). Its
/// interval propagates the two 95% intervals as independent errors of the logarithms: δ = √(rel(A)² + rel(B)²),
/// with each rel the larger side of the interval over the estimate (to first order the error of its log), and the
/// interval is [r·e^−δ, r·e^δ], which stays positive however noisy the cases. A case whose estimate has no interval
/// (too few samples) gives none.
/// </summary>
public sealed record CaseComparison(OperatorCase Case, CaseEntry A, CaseEntry B)
{
    public double Ratio => B.Latency.Value.Nanoseconds / A.Latency.Value.Nanoseconds;

    /// <summary>B's median as timed over A's: a diagnostic beside <see cref="Ratio"/>.</summary>
    public double MedianRatio => B.UncorrectedMedian.Nanoseconds / A.UncorrectedMedian.Nanoseconds;

    public double? RelativeHalfWidth
    {
        get
        {
            double a = A.Latency.RelativeHalfWidth, b = B.Latency.RelativeHalfWidth;
            return double.IsFinite(a) && double.IsFinite(b) ? Math.Sqrt(a * a + b * b) : null;
        }
    }

    public double? Low => RelativeHalfWidth is { } r ? Ratio * Math.Exp(-r) : null;

    public double? High => RelativeHalfWidth is { } r ? Ratio * Math.Exp(r) : null;
}

/// <summary>
/// Cases of the same sizes (tokens in and out, d, h, m, batch, dtype) where the two profiles name a different
/// operator as the cheapest: the reason a profile per runtime matters. <see cref="Firm"/> when, in both profiles, the
/// cheapest one's interval lies wholly below the other's.
/// </summary>
public sealed record CheapestDisagreement(OperatorCase CheapestInA, OperatorCase CheapestInB, CaseComparison AsA, CaseComparison AsB, bool Firm);

/// <summary>Profile B against profile A, case by case: only cases with the same <see cref="OperatorCase.Key"/> meet.</summary>
public sealed record CompareReport(
    IReadOnlyList<CaseComparison> Cases, IReadOnlyList<string> OnlyInA, IReadOnlyList<string> OnlyInB,
    IReadOnlyList<CheapestDisagreement> Disagreements)
{
    /// <summary>Matches the cases of two profiles; no case in common is an <see cref="InputException"/>.</summary>
    public static CompareReport Build(ProfileDocument a, ProfileDocument b, string nameA, string nameB)
    {
        var inB = b.Cases.ToDictionary(c => c.Case.Key);
        var matched = a.Cases.Where(c => inB.ContainsKey(c.Case.Key)).Select(c => new CaseComparison(c.Case, c, inB[c.Case.Key])).ToList();
        if (matched.Count == 0)
            throw new InputException($"{nameA} and {nameB} have no case in common (same operator, token counts, sizes, batch, dtype and variant); "
                + $"for example {a.Cases[0].Case.Key} against {b.Cases[0].Case.Key}");
        var keys = matched.Select(m => m.Case.Key).ToHashSet();
        return new CompareReport(
            matched,
            a.Cases.Select(c => c.Case.Key).Where(k => !keys.Contains(k)).ToList(),
            b.Cases.Select(c => c.Case.Key).Where(k => !keys.Contains(k)).ToList(),
            Disagree(matched));
    }

    /// <summary>
    /// Share of compared cases whose latencies agree within ±<paramref name="tolerance"/> (B/A in [1−t, 1+t]); with
    /// <paramref name="medians"/>, of their medians as timed instead (a diagnostic). For two runs of the same command
    /// this is test-retest agreement.
    /// </summary>
    public double Agreement(double tolerance, bool medians = false) =>
        Cases.Count(c => Math.Abs((medians ? c.MedianRatio : c.Ratio) - 1) <= tolerance) / (double)Cases.Count;

    /// <summary>Median over cases of |B/A − 1|, of the latencies or (with <paramref name="medians"/>) the medians as timed.</summary>
    public double MedianDeviation(bool medians = false) =>
        MathNet.Numerics.Statistics.Statistics.Median(Cases.Select(c => Math.Abs((medians ? c.MedianRatio : c.Ratio) - 1)));

    /// <summary>An operator's label with its variant, e.g. "prune (cls)".</summary>
    public static string Label(OperatorCase c) => c.Operator.Name() + (c.Variant.Length > 0 ? $" ({c.Variant})" : "");

    private static List<CheapestDisagreement> Disagree(List<CaseComparison> matched)
    {
        var found = new List<CheapestDisagreement>();
        // Reductions compete with reductions, scores with scores, layers with layers, at the same sizes.
        foreach (var group in matched.GroupBy(m => (Family(m.Case.Operator), m.Case.TokensIn, m.Case.TokensOut, m.Case.Hidden,
                     m.Case.Heads, m.Case.MlpSize, m.Case.Batch, m.Case.DType)))
        {
            var candidates = group.ToList();
            if (candidates.Count < 2) continue;
            var cheapestA = candidates.MinBy(m => m.A.Latency.Value)!;
            var cheapestB = candidates.MinBy(m => m.B.Latency.Value)!;
            if (ReferenceEquals(cheapestA, cheapestB)) continue;
            bool firm = Below(cheapestA.A, cheapestB.A) && Below(cheapestB.B, cheapestA.B);
            found.Add(new CheapestDisagreement(cheapestA.Case, cheapestB.Case, cheapestA, cheapestB, firm));
        }
        return found;
    }

    private static int Family(OperatorKind op) => op.IsReduction() ? 2 : op == OperatorKind.Score ? 1 : 0;

    private static bool Below(CaseEntry low, CaseEntry high) =>
        low.Latency.High is { } top && high.Latency.Low is { } bottom && top < bottom;
}
