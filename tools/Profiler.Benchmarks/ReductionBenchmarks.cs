using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Profiler.Core;
using Profiler.Operators.Reduction;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Benchmarks;

/// <summary>
/// The four token reductions at ρ = ½ on one image, at the <c>tiny</c> size (d = 128, CLS + 12×12 patches) and the
/// <c>llava-1.5-7b</c> size (d = 4096, a 35-token system prompt + 24×24 patches + a 29-token question), both as the
/// published stand-alone operators and as the aligned anchors of O(α) that the search runs. Scores are token norms
/// and keys are random, computed once in the setup: the benchmark times the reduction alone.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's default out-of-process toolchain runs each case in its own process on the main thread, where
/// libtorch's thread pool is warmed by the setup (the in-process toolchain runs on another thread, which libtorch
/// serves markedly slower). The job is short (1 launch, 3 warm-up and 5 measured iterations of ~100 ms) so the whole
/// run takes minutes on two shared cores: read the error column before comparing close numbers.
/// </remarks>
[Config(typeof(ShortConfig))]
public class ReductionBenchmarks
{
    private ReductionInput input = null!;

    /// <summary>The preset whose sizes are used.</summary>
    [Params("tiny", "llava-1.5-7b")]
    public string Size { get; set; } = "tiny";

    /// <summary>The reduction.</summary>
    [Params(OperatorKind.Prune, OperatorKind.Reweight, OperatorKind.Pool, OperatorKind.Merge)]
    public OperatorKind Operator { get; set; }

    /// <summary>False: the published operator; true: its aligned anchor of O(α).</summary>
    [Params(false, true)]
    public bool Aligned { get; set; }

    /// <summary>
    /// libtorch threads. One by default: on a shared machine OpenMP's spinning workers collapse when the cores are
    /// oversubscribed (a 0.2 ms merge measured 1–40 ms per call with two threads at a load of 8 on two cores).
    /// </summary>
    [Params(1)]
    public int Threads { get; set; } = 1;

    /// <summary>Fixes libtorch's threads on this (the timing) thread, turns autograd off and draws the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        torch.set_grad_enabled(false);
        var preset = Preset.Parse(Size);
        var grid = new GridShape(preset.GridSide, preset.GridSide);
        var layout = preset == Preset.Tiny ? TokenLayout.Vision(grid, prefix: 1) : TokenLayout.Vision(grid, prefix: 35, suffix: 29);
        var generator = new Generator(1);
        var tokens = randn(1, layout.Count, preset.Shape.Hidden, generator: generator);
        var keys = randn(1, layout.Count, preset.Shape.Hidden, generator: generator);
        input = new ReductionInput(tokens, ones(1, layout.Count), layout, keys, TokenScore.Norm(tokens));
        // One call outside the measurement: allocator and OpenMP pool warm on this thread.
        Reduce();
    }

    /// <summary>One reduction to half of the visual tokens; returns the output token count.</summary>
    [Benchmark]
    public long Reduce()
    {
        using var scope = NewDisposeScope();
        var result = Aligned
            ? AlignedReduction.Apply(Operator, input, 0.5)
            : Operator switch
            {
                OperatorKind.Prune => Prune.Apply(input, 0.5),
                OperatorKind.Reweight => Reweight.Apply(input, 0.5),
                OperatorKind.Pool => Pool.Apply(input, 0.5),
                _ => Merge.Apply(input, 0.5),
            };
        return result.Tokens.shape[1];
    }

    /// <summary>A ShortRun-like job with ~100 ms iterations and the median beside the mean.</summary>
    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig()
        {
            AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
                .WithId("Short"));
            AddColumn(StatisticColumn.Median);
        }
    }
}
