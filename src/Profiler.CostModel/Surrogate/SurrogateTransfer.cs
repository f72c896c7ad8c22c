using Profiler.Core;
using Profiler.CostModel.Models;
using Profiler.Profiles;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The factors a surrogate is carried to another machine by: <see cref="PerCall"/> scales what every call costs
/// (the reference suite's one-element case, here over there), <see cref="Work"/> what the work costs (its matmul).
/// </summary>
/// <param name="PerCall">Factor on each prediction's per-call part.</param>
/// <param name="Work">Factor on the rest.</param>
public sealed record TransferFactors(double PerCall, double Work)
{
    /// <summary>No change.</summary>
    public static TransferFactors Identity { get; } = new(1, 1);

    /// <summary>The point factors of a comparison: per call from its call case, work from its compute case.</summary>
    public static TransferFactors From(ReferenceComparison comparison) =>
        comparison.Call is { } call && comparison.Compute is { } compute
            ? new TransferFactors(call.Value, compute.Value).Validated()
            : throw new InputException("a transfer needs the call and compute reference factors: " + comparison.Reason);

    /// <summary>These factors, or an <see cref="InputException"/> when one is not a finite positive number.</summary>
    public TransferFactors Validated() =>
        double.IsFinite(PerCall) && PerCall > 0 && double.IsFinite(Work) && Work > 0
            ? this
            : throw new InputException($"transfer factors must be finite and positive, got per call {PerCall} and work {Work}");
}

/// <summary>
/// Carries a surrogate fitted on one machine to another. Each operator's prediction P is split into its per-call
/// part C, the constant term of its linear part (what the fit says a call costs whatever the tokens), held within
/// [0, P], and its work part P − C (everything that grows with the case, trees' steps included); the transferred
/// prediction is PerCall·C + Work·(P − C). Factors (1, 1) give P back exactly. On a differentiable prediction the
/// split is differentiable too (C depends on P only where P falls below the constant), so gradients still flow.
/// </summary>
public static class SurrogateTransfer
{
    /// <summary>The surrogate with every prediction transferred by <paramref name="factors"/>.</summary>
    public static LatencySurrogate Apply(LatencySurrogate surrogate, TransferFactors factors) => surrogate.WithTransfer(factors.Validated());

    /// <summary>The per-call part of a prediction of <paramref name="predictionUs"/> by a model with linear part <paramref name="linear"/>.</summary>
    public static double PerCallUs(LinearCost linear, double predictionUs) => Math.Min(Math.Max(linear.BiasUs, 0), Math.Max(predictionUs, 0));

    /// <summary>A prediction in microseconds, transferred.</summary>
    public static double TransferUs(LinearCost linear, double predictionUs, TransferFactors factors)
    {
        double perCall = PerCallUs(linear, predictionUs);
        return factors.PerCall * perCall + factors.Work * (predictionUs - perCall);
    }

    /// <summary>Predictions in microseconds (float64), transferred; differentiable in <paramref name="predictionUs"/>.</summary>
    public static Tensor Transfer(LinearCost linear, Tensor predictionUs, TransferFactors factors)
    {
        var perCall = predictionUs.clamp(min: 0, max: Math.Max(linear.BiasUs, 0));
        return predictionUs * factors.Work + perCall * (factors.PerCall - factors.Work);
    }
}
