using Profiler.CostModel.Features;
using Profiler.CostModel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// A tree ensemble with softened splits as a TorchSharp module: output = bias + Σ_leaves value · P(leaf | x), where
/// P(leaf) is the product along its path of σ(±(x − center)/scale). All leaves of all trees are evaluated at once:
/// each leaf's path is a row of indices into the log-probabilities of every split going left or right (padded with a
/// slot that holds log 1), so one gather, one sum and one exp give every leaf's probability with a gradient.
/// </summary>
public sealed class SoftTrees : nn.Module<Tensor, Tensor>
{
    private readonly Tensor nodeFeature;
    private readonly Tensor nodeCenter;
    private readonly Tensor nodeScale;
    private readonly Tensor leafPath;
    private readonly Tensor leafValue;
    private readonly double bias;
    private readonly int nodes;

    private SoftTrees(long[] features, double[] centers, double[] scales, long[,] paths, double[] values, double bias)
        : base(nameof(SoftTrees))
    {
        nodes = features.Length;
        this.bias = bias;
        nodeFeature = tensor(features, dtype: int64);
        nodeCenter = tensor(centers, dtype: float64);
        nodeScale = tensor(scales, dtype: float64);
        leafPath = tensor(paths, dtype: int64).reshape(-1);
        leafValue = tensor(values, dtype: float64);
        Leaves = values.Length;
        Depth = paths.GetLength(1);
        register_buffer("node_feature", nodeFeature);
        register_buffer("node_center", nodeCenter);
        register_buffer("node_scale", nodeScale);
        register_buffer("leaf_path", leafPath);
        register_buffer("leaf_value", leafValue);
    }

    /// <summary>Leaves over all trees.</summary>
    public int Leaves { get; }

    /// <summary>Longest root-to-leaf path.</summary>
    public int Depth { get; }

    /// <summary>Builds the module from an ensemble at its temperature.</summary>
    public static SoftTrees Create(TreeEnsemble ensemble)
    {
        var features = new List<long>();
        var centers = new List<double>();
        var scales = new List<double>();
        var paths = new List<List<long>>();
        var values = new List<double>();
        double constant = ensemble.Bias;
        foreach (var tree in ensemble.Trees)
        {
            if (tree.Splits.Count == 0)
            {
                constant += tree.Weight * tree.Leaves[0];
                continue;
            }
            int offset = features.Count;
            foreach (var split in tree.Splits)
            {
                features.Add(SizeFeatures.IndexOf(split.Feature));
                centers.Add(split.Center);
                scales.Add(ensemble.Temperature * split.Width);
            }
            Collect(tree, 0, offset, [], paths, values);
        }
        int depth = Math.Max(1, paths.Count == 0 ? 1 : paths.Max(p => p.Count));
        int n = features.Count;
        // Index 2n is the padding slot (log-probability 0); a left step at node i reads slot i, a right step n + i.
        var padded = new long[paths.Count, depth];
        for (int l = 0; l < paths.Count; l++)
        {
            for (int d = 0; d < depth; d++)
                padded[l, d] = d < paths[l].Count ? Slot(paths[l][d], n) : 2L * n;
        }
        return new SoftTrees(features.ToArray(), centers.ToArray(), scales.ToArray(), padded, values.ToArray(), constant);

        void Collect(Tree tree, int child, int offset, List<long> path, List<List<long>> allPaths, List<double> allValues)
        {
            if (child < 0)
            {
                allPaths.Add([.. path]);
                allValues.Add(tree.Weight * tree.Leaves[~child]);
                return;
            }
            var split = tree.Splits[child];
            // Encode a step as +(node+1) for right and −(node+1) for left; Slot decodes it.
            Collect(tree, split.Left, offset, [.. path, -(offset + child + 1)], allPaths, allValues);
            Collect(tree, split.Right, offset, [.. path, offset + child + 1], allPaths, allValues);
        }
    }

    private static long Slot(long step, int nodes) => step < 0 ? -step - 1 : nodes + step - 1;

    /// <summary>The soft output for feature rows <paramref name="x"/> (P × features, float64): a length-P tensor.</summary>
    public override Tensor forward(Tensor x)
    {
        long points = x.shape[0];
        if (nodes == 0 || Leaves == 0) return full(points, bias, dtype: float64, device: x.device);
        var z = (x.index_select(1, nodeFeature) - nodeCenter) / nodeScale;
        var logProbabilities = cat([nn.functional.logsigmoid(-z), nn.functional.logsigmoid(z), zeros(points, 1, dtype: float64, device: x.device)], 1);
        var index = leafPath.unsqueeze(0).expand(points, -1);
        var leafLog = logProbabilities.gather(1, index).view(points, Leaves, Depth).sum(2);
        return leafLog.exp().matmul(leafValue) + bias;
    }
}
