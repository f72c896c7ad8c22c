using Profiler.Core;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Engine;

/// <summary>Two cases of one run compared round by round (run them with <see cref="EngineSettings.WithExactRounds"/>).</summary>
public static class RoundPairing
{
    /// <summary>
    /// <paramref name="bursts"/>' time as a share of <paramref name="reference"/>'s: one ratio per round both were
    /// measured in, of the two bursts' estimates by the profiles' estimator (<see cref="LatencyEstimate.ValueOf"/>) (see <see cref="PairedRatio"/>). Without a common round it is an
    /// <see cref="InputException"/>.
    /// </summary>
    public static PairedRatio Share(IReadOnlyList<Burst> bursts, IReadOnlyList<Burst> reference)
    {
        var theirs = reference.ToDictionary(b => b.Round, b => LatencyEstimate.ValueOf(b.Samples));
        var ratios = bursts.Where(b => theirs.ContainsKey(b.Round)).Select(b => LatencyEstimate.ValueOf(b.Samples) / theirs[b.Round]).ToList();
        if (ratios.Count == 0) throw new InputException("the two cases share no measured round: measure them in one run");
        return PairedRatio.Of(ratios);
    }
}
