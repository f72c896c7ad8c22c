using Microsoft.ML.Trainers.FastTree;
using Profiler.CostModel.Features;
using Profiler.CostModel.Models;

namespace Profiler.CostModel.Fitting;

/// <summary>
/// Reads a fitted ML.NET ensemble (<c>TrainedTreeEnsemble</c>: children, split features, thresholds, leaf values,
/// tree weights, bias) into a <see cref="TreeEnsemble"/>, and places each soft split half-way between the training
/// values either side of its threshold, so that softening moves no training point across a split.
/// </summary>
internal static class TreeEnsembleReader
{
    public static TreeEnsemble Read(RegressionTreeEnsemble ensemble, IReadOnlyList<double[]> trainingFeatures, double temperature)
    {
        var values = Enumerable.Range(0, SizeFeatures.Count)
            .Select(j => trainingFeatures.Select(x => x[j]).Distinct().Order().ToArray())
            .ToArray();
        var trees = new List<Tree>();
        for (int t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
                throw new InvalidOperationException("the ensemble has a categorical split; the cost models use numeric features only");
            var splits = new List<TreeSplit>();
            for (int node = 0; node < tree.NumberOfNodes; node++)
            {
                int feature = tree.NumericalSplitFeatureIndexes[node];
                double threshold = tree.NumericalSplitThresholds[node];
                var (center, width) = Around(values[feature], threshold);
                splits.Add(new TreeSplit(SizeFeatures.Names[feature], threshold, center, width, tree.LeftChild[node], tree.RightChild[node]));
            }
            trees.Add(new Tree(ensemble.TreeWeights[t], splits, tree.LeafValues.ToArray()));
        }
        return new TreeEnsemble { Bias = ensemble.Bias, Temperature = temperature, Trees = trees };
    }

    // The training values either side of a threshold give the soft split its centre and width.
    private static (double Center, double Width) Around(double[] sorted, double threshold)
    {
        int above = Array.FindIndex(sorted, v => v > threshold);
        if (above > 0) return ((sorted[above - 1] + sorted[above]) / 2, sorted[above] - sorted[above - 1]);
        // A threshold outside the training values (not produced by the trainers on their own data): a one-unit width.
        return (threshold, 1);
    }
}
