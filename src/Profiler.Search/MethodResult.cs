using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>One method's verified plan: accuracy on test questions, measured and predicted latency, FLOPs.</summary>
/// <param name="Name">The method, e.g. "latency search", "fixed merge".</param>
/// <param name="Plan">Its plan.</param>
/// <param name="Accuracy">Test accuracy overall and per type.</param>
/// <param name="Measured">Measured end-to-end forward latency on this device.</param>
/// <param name="Converged">True when the measurement reached the stop rule's CI target.</param>
/// <param name="Predicted">The surrogate's prediction (calibrated where the search calibrated).</param>
/// <param name="Gflops">FLOPs of one forward, GFLOP.</param>
/// <param name="VisualTokensKept">Visual tokens the last layer sees.</param>
/// <param name="Share">Its measured latency as a share of the unreduced model's, paired round by round in the same run.</param>
public sealed record MethodResult(string Name, ReductionPlan Plan, AccuracyReport Accuracy, LatencyEstimate Measured, bool Converged,
    Latency Predicted, double Gflops, int VisualTokensKept, PairedRatio Share);
