using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>What the search minimises besides the task loss: a model's latency (from a surrogate) or its FLOPs.</summary>
public interface IPlanCost
{
    /// <summary>"latency" or "flops".</summary>
    string Name { get; }

    /// <summary>The unit of every value: "ms" or "GFLOP".</summary>
    string Unit { get; }

    /// <summary>The expected cost of the relaxed plan whose reductions rank by <paramref name="score"/> (a differentiable 0-dim float64 tensor).</summary>
    Tensor Expected(SearchParameters parameters, ScoreKind score);

    /// <summary>The cost of a discrete plan.</summary>
    double Of(ReductionPlan plan);
}
