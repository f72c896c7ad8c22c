using System.Text.Json.Serialization;

namespace Profiler.CostModel.Models;

/// <summary>One split of a tree: a case goes left when its feature is at most <see cref="Threshold"/>.</summary>
/// <param name="Feature">Feature name (see <see cref="Features.SizeFeatures.Names"/>).</param>
/// <param name="Threshold">The fitted model's threshold, used by the hard evaluation.</param>
/// <param name="Center">Midpoint between the training values either side of the threshold: where the soft split is half-way.</param>
/// <param name="Width">Distance between those training values: the soft split's scale is temperature × width.</param>
/// <param name="Left">Child when the feature is at most the threshold: a split index, or ~leaf for a leaf.</param>
/// <param name="Right">Child otherwise, encoded the same way.</param>
public sealed record TreeSplit(string Feature, double Threshold, double Center, double Width, int Left, int Right);

/// <summary>One regression tree: splits (node 0 is the root; none for a single leaf), leaf values and its weight.</summary>
/// <param name="Weight">Multiplier of the tree's output in the ensemble.</param>
/// <param name="Splits">Internal nodes.</param>
/// <param name="Leaves">Leaf values.</param>
public sealed record Tree(double Weight, IReadOnlyList<TreeSplit> Splits, IReadOnlyList<double> Leaves);

/// <summary>
/// A boosted tree ensemble as read out of ML.NET (<c>TrainedTreeEnsemble</c>): output = bias + Σ weight·tree(x).
/// Evaluated hard here (as ML.NET does); its soft form at a shape is a <see cref="SoftStepTable"/>, where each split
/// becomes a sigmoid of (x − center)/(temperature·width).
/// </summary>
public sealed record TreeEnsemble
{
    /// <summary>Constant added to the trees' sum.</summary>
    public required double Bias { get; init; }

    /// <summary>Softness of every split as a fraction of its width; fitted by <see cref="Surrogate.TemperatureFit"/>.</summary>
    public required double Temperature { get; init; }

    /// <summary>The trees.</summary>
    public required IReadOnlyList<Tree> Trees { get; init; }

    /// <summary>
    /// How much a step's floor may leak onto a profiled point, in log units (see <see cref="SoftStepTable"/>); fitted
    /// with the temperature, lowered where many overlapping floors would pull the surrogate off its model.
    /// </summary>
    public double FloorLeak { get; init; } = SoftStepTable.DefaultLeakBudget;

    /// <summary>Whether the trees read a reduction's output as its retention ratio rather than as tokens out.</summary>
    [JsonIgnore]
    public bool SplitsOnRatio => Splits(Features.SizeFeatures.Ratio);

    /// <summary>False when the trees split on both tokens out and the ratio, which no step table over two axes holds.</summary>
    [JsonIgnore]
    public bool OutputAxisIsSound => !(SplitsOnRatio && Splits(Features.SizeFeatures.TokensOut));

    /// <summary>The hard output at a feature vector (as the ML.NET model computes it).</summary>
    public double Evaluate(IReadOnlyList<double> x)
    {
        double sum = Bias;
        foreach (var tree in Trees)
        {
            if (tree.Splits.Count == 0)
            {
                sum += tree.Weight * tree.Leaves[0];
                continue;
            }
            int node = 0;
            while (node >= 0)
            {
                var split = tree.Splits[node];
                node = x[FeatureIndex(split)] <= split.Threshold ? split.Left : split.Right;
            }
            sum += tree.Weight * tree.Leaves[~node];
        }
        return sum;
    }

    private bool Splits(int feature) =>
        Trees.Any(t => t.Splits.Any(s => s.Feature == Features.SizeFeatures.Names[feature]));

    private static int FeatureIndex(TreeSplit split)
    {
        int index = Features.SizeFeatures.IndexOf(split.Feature);
        return index >= 0 ? index : throw new InvalidOperationException($"unknown tree feature '{split.Feature}'");
    }
}
