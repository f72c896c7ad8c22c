using Profiler.Core;

namespace Profiler.CostModel.Training;

/// <summary>One measured case as a training example: its sizes, and its median latency as the label.</summary>
/// <param name="Case">The case.</param>
/// <param name="Median">Median latency of one invocation: the label.</param>
/// <param name="Q1">First quartile of the samples (for error bars).</param>
/// <param name="Q3">Third quartile of the samples (for error bars).</param>
public sealed record TrainingRow(OperatorCase Case, Latency Median, Latency Q1, Latency Q3)
{
    /// <summary>The model this row trains.</summary>
    public ModelKey Key => ModelKey.Of(Case);

    /// <summary>The label in microseconds, the unit every cost model works in.</summary>
    public double MedianUs => Median.Microseconds;
}
