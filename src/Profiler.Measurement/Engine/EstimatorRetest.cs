using MathNet.Numerics.Statistics;
using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Engine;

/// <summary>How well one way of summarising a case repeats between two runs of the same profile.</summary>
/// <param name="Estimator">What the per-case number is, e.g. "p10 of all samples".</param>
/// <param name="WithinFivePercent">Share of cases whose two numbers agree within ±5%.</param>
/// <param name="WithinTwoPercent">Share within ±2%.</param>
/// <param name="MedianDeviation">Median over cases of |B/A − 1|.</param>
/// <param name="Cases">Cases measured in both runs.</param>
public sealed record EstimatorAgreement(string Estimator, double WithinFivePercent, double WithinTwoPercent, double MedianDeviation, int Cases);

/// <summary>
/// Test-retest of candidate latency estimators, computed from two runs' raw stores (every sample, burst by burst):
/// the measurement the profile's choice of <see cref="LatencyEstimate"/> rests on, and how anyone can repeat it.
/// </summary>
public static class EstimatorRetest
{
    /// <summary>A per-case statistic of a case's bursts (with the run's drift factor per round, 1 when uncorrected).</summary>
    private delegate double Estimator(IReadOnlyList<Burst> bursts, Func<int, double> factor);

    private static readonly (string Name, bool Corrected, Estimator Of)[] Candidates =
    [
        ("median of all samples", false, (b, f) => Statistics.Median(All(b, f))),
        ("mean of all samples", false, (b, f) => All(b, f).Average()),
        ($"{LatencyEstimate.Name} of all samples (the profile's latency)", false, (b, f) => LatencyEstimate.ValueOf(All(b, f))),
        ("p5 of all samples", false, (b, f) => Statistics.Quantile(All(b, f), 0.05)),
        ("minimum sample", false, (b, f) => All(b, f).Min()),
        ("minimum of burst medians", false, (b, f) => b.Min(x => Statistics.Median(x.Samples) / f(x.Round))),
        ($"{LatencyEstimate.Name}, first 3 bursts only", false, (b, f) => LatencyEstimate.ValueOf(All(b.Take(3).ToList(), f))),
        ($"{LatencyEstimate.Name}, first 5 bursts only", false, (b, f) => LatencyEstimate.ValueOf(All(b.Take(5).ToList(), f))),
        ("median, drift-corrected", true, (b, f) => Statistics.Median(All(b, f))),
        ($"{LatencyEstimate.Name}, drift-corrected", true, (b, f) => LatencyEstimate.ValueOf(All(b, f))),
    ];

    /// <summary>
    /// Every candidate estimator's agreement between the runs whose raw stores are at <paramref name="pathA"/> and
    /// <paramref name="pathB"/>, over the cases both measured. A missing store or no common case is an
    /// <see cref="InputException"/>.
    /// </summary>
    public static IReadOnlyList<EstimatorAgreement> Compare(string pathA, string pathB)
    {
        var (casesA, factorA) = Load(pathA);
        var (casesB, factorB) = Load(pathB);
        var keys = casesA.Keys.Where(k => casesB.ContainsKey(k) && casesA[k].Bursts.Count > 0 && casesB[k].Bursts.Count > 0).Order().ToList();
        if (keys.Count == 0) throw new InputException($"{pathA} and {pathB} have no measured case in common");
        var rows = new List<EstimatorAgreement>();
        foreach (var (name, corrected, of) in Candidates)
        {
            Func<int, double> none = _ => 1.0;
            var deviations = keys.Select(k =>
                Math.Abs(of(casesB[k].Bursts, corrected ? factorB : none) / of(casesA[k].Bursts, corrected ? factorA : none) - 1)).ToList();
            rows.Add(new EstimatorAgreement(name, deviations.Count(d => d <= 0.05) / (double)keys.Count,
                deviations.Count(d => d <= 0.02) / (double)keys.Count, Statistics.Median(deviations), keys.Count));
        }
        return rows;
    }

    private static (Dictionary<string, StoredCase> Cases, Func<int, double> Factor) Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: no raw store there (a profile's store sits beside it as NAME.raw.sqlite)");
        using var store = RawStore.Open(path, hold: false);
        var cases = store.LoadCases();
        var drift = DriftCorrection.Compute(store.LoadSentinels(), "sentinel", cases.Values.Select(c => c.Bursts).ToList(), apply: false);
        return (cases, drift.FactorOf);
    }

    private static List<double> All(IReadOnlyList<Burst> bursts, Func<int, double> factor) =>
        bursts.SelectMany(b => b.Samples.Select(s => s / factor(b.Round))).ToList();
}
