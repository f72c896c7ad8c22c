using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Models;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Plans;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Benchmarks;

/// <summary>
/// One evaluation of the whole-model latency surrogate with its gradient, as a search step pays it: the tiny
/// preset's 6 layers with a two-step plan (prune at layer 1, merge at layer 3), forward and backward to the token
/// counts and the reduction weights. The target is ≤ 1 ms on the development CPU.
/// </summary>
/// <remarks>
/// Unless <c>PROFILER_SURROGATE</c> names a fitted surrogate file, every operator gets a tree model of the size
/// <c>fit</c> produces at its defaults (100 trees of 8 leaves over a roofline trend, random splits over 8–256
/// tokens): the cost depends on the ensembles' sizes, not on their values. A fitted file without prune and merge
/// models is benchmarked without the plan's reductions.
/// </remarks>
[Config(typeof(ShortConfig))]
public class SurrogateBenchmarks
{
    private ModelLatencySurrogate model = null!;
    private Tensor attention = null!;
    private Tensor mlp = null!;
    private Tensor weights = null!;

    /// <summary>Builds the model surrogate and the plan's inputs on this (the timing) thread.</summary>
    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        var path = Environment.GetEnvironmentVariable("PROFILER_SURROGATE");
        var surrogate = path is null ? new LatencySurrogate(RandomTreeSurrogate(seed: 1)) : LatencySurrogate.Load(path);
        var plan = ReductionPlan.Parse("benchmark plan", """[{"layer": 1, "keep": 100, "operator": "prune"}, {"layer": 3, "keep": 60, "operator": "merge"}]""");
        if (!surrogate.Has(new ModelKey(OperatorKind.Prune)) || !surrogate.Has(new ModelKey(OperatorKind.Merge))) plan = ReductionPlan.None;
        model = ModelLatencySurrogate.ForPlan(surrogate, Preset.Tiny, plan);
        (attention, mlp, weights) = model.Inputs(plan, Preset.Tiny.VisualTokens + Preset.Tiny.ProtectedTokens);
        EvaluateWithGradient();
    }

    /// <summary>Whole-model latency and its gradient with respect to every layer's token counts and reduction weights.</summary>
    [Benchmark]
    public double EvaluateWithGradient()
    {
        using var scope = NewDisposeScope();
        var a = attention.detach().requires_grad_(true);
        var m = mlp.detach().requires_grad_(true);
        var w = weights.detach().requires_grad_(true);
        var total = model.forward(a, m, w);
        total.backward();
        return total.item<double>() + a.grad!.sum().item<double>();
    }

    private static SurrogateDocument RandomTreeSurrogate(int seed)
    {
        var rng = new Random(seed);
        OperatorKind[] kinds = [OperatorKind.LayerNorm, OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.Prune, OperatorKind.Merge];
        var metrics = new AccuracyMetrics(1, 1, 1, 0, 0, 0);
        return new SurrogateDocument
        {
            Format = SurrogateDocument.FormatName, SchemaVersion = SurrogateDocument.CurrentSchemaVersion, ToolVersion = "benchmark",
            Created = DateTimeOffset.UnixEpoch,
            Profile = new SurrogateSource("benchmark", "", new Fingerprint
            {
                Os = "", CpuModel = "", LogicalCores = 1, MemoryBytes = 1, DotNetVersion = "", Backend = "torch", BackendVersion = "",
                Device = "cpu", Provider = "cpu", Threads = 1, DType = "float32", ToolVersion = "", Date = DateTimeOffset.UnixEpoch,
            }, "tiny", 0),
            Models = kinds.Select(kind => new SurrogateModel
            {
                Operator = kind.Name(), Variant = "", Regressor = "fasttree", Reason = "benchmark",
                Linear = LinearCost.From(20, [1e-6, 1e-5, 1e-4, 1e-5]),
                Trees = new TreeEnsemble { Bias = 0, Temperature = 0.2, Trees = Enumerable.Range(0, 100).Select(_ => RandomTree(rng, kind.IsReduction())).ToList() },
                Shapes = [new ProfiledShape(128, 4, 512, 1, "float32")], MinTokens = 8, MaxTokens = 256,
                Check = new SurrogateCheck(0.2, 0, 0, 0, 0, 0),
            }).ToList(),
            Accuracy = [new AccuracyRow(AccuracyRow.Overall, "fasttree", HoldOut.Interpolation, metrics)],
        };
    }

    // A random tree of 8 leaves: each split turns a random leaf into a split on tokens in (or out, for a reduction).
    private static Tree RandomTree(Random rng, bool reduction)
    {
        var splits = new List<TreeSplit>();
        var leaves = new List<double> { 0 };
        var children = new List<(int Left, int Right)>();
        var parentOfLeaf = new List<(int Split, bool Left)> { (-1, false) };
        for (int s = 0; s < 7; s++)
        {
            int leaf = rng.Next(leaves.Count);
            var (parent, isLeft) = parentOfLeaf[leaf];
            if (parent >= 0) children[parent] = isLeft ? (s, children[parent].Right) : (children[parent].Left, s);
            leaves.Add(0);
            parentOfLeaf[leaf] = (s, true);
            parentOfLeaf.Add((s, false));
            children.Add((~leaf, ~(leaves.Count - 1)));
            double threshold = 8 * rng.Next(1, 32) + 4;
            splits.Add(new TreeSplit(reduction && rng.Next(2) == 0 ? "tokensOut" : "tokensIn", threshold, threshold, 8, 0, 0));
        }
        var values = leaves.Select(_ => 0.02 * (rng.NextDouble() - 0.5)).ToList();
        return new Tree(1, splits.Select((split, i) => split with { Left = children[i].Left, Right = children[i].Right }).ToList(), values);
    }

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200)).WithId("Short"));
            AddColumn(StatisticColumn.Median);
        }
    }
}
