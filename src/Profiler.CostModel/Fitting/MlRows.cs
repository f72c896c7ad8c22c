using Microsoft.ML.Data;
using Profiler.CostModel.Features;

namespace Profiler.CostModel.Fitting;

/// <summary>One ML.NET training row of a tree regressor: the size features and the log-ratio to the trend.</summary>
internal sealed class MlTreeRow
{
    [VectorType(SizeFeatures.Count)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>One ML.NET training row of the linear regressor: whitened cost features and a scaled label.</summary>
internal sealed class MlLinearRow
{
    [VectorType(CostFeatures.Count)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>ML.NET's prediction.</summary>
internal sealed class MlScore
{
    public float Score { get; set; }
}
