using Profiler.Core;

namespace Profiler.CostModel.Training;

/// <summary>One measured case as a training example: its sizes, and its profile's primary latency as the label.</summary>
/// <param name="Case">The case.</param>
/// <param name="Latency">The profile's latency of one invocation (<see cref="LatencyEstimate"/>): the label.</param>
/// <param name="Low">Lower end of its confidence interval (for error bars; the latency itself where none).</param>
/// <param name="High">Upper end of it.</param>
public sealed record TrainingRow(OperatorCase Case, Latency Latency, Latency Low, Latency High)
{
    /// <summary>The model this row trains.</summary>
    public ModelKey Key => ModelKey.Of(Case);

    /// <summary>The label in microseconds, the unit every cost model works in.</summary>
    public double LatencyUs => Latency.Microseconds;
}
