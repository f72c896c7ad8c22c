using MathNet.Numerics.Statistics;
using Profiler.Measurement.Backends;

namespace Profiler.Measurement.Engine;

/// <summary>
/// Measures the device's ceilings at the start of a run: the best square matrix-product throughput over a few
/// sizes, and the bandwidth of a large copy. Each case reports how close it comes to the first.
/// </summary>
public static class CeilingProbe
{
    // Small sides too: on a CPU a product that fits in cache can run faster than a large one.
    private static readonly int[] MatmulSizes = [128, 256, 512, 1024, 2048];
    private const long CopyBytes = 256L << 20;
    private const int Iterations = 10;

    /// <summary>Measures both ceilings with the engine's own timer.</summary>
    public static Ceilings Measure(IBackend backend, BurstTimer timer, int seed)
    {
        double best = 0;
        foreach (var size in MatmulSizes)
        {
            using var runner = backend.PrepareMatmul(size, seed);
            double median = Statistics.Median(timer.Measure(runner, Iterations));
            best = Math.Max(best, runner.Flops / (median / 1e9));
        }
        using var copy = backend.PrepareCopy(CopyBytes, seed);
        double copyMedian = Statistics.Median(timer.Measure(copy, Iterations));
        return new Ceilings(
            best, $"best of square float32 matmul at sides {string.Join(", ", MatmulSizes)}",
            copy.Bytes / (copyMedian / 1e9), $"float32 copy of {CopyBytes >> 20} MiB (read + write)");
    }
}
