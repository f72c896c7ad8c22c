using static TorchSharp.torch;

namespace Profiler.Tests.Operators;

/// <summary>Tensor comparisons that say where and by how much two tensors differ.</summary>
internal static class TensorAssert
{
    /// <summary>Bit-for-bit equal values (−0 equals +0) and equal shapes.</summary>
    public static void Exact(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape {Shape(actual)}, expected {Shape(expected)}");
        Assert.True(expected.eq(actual).all().item<bool>(), $"{what}: not exactly equal, max |Δ| = {MaxDiff(expected, actual):G6}");
    }

    /// <summary>Equal within |Δ| ≤ tolerance·(1 + |expected|).</summary>
    public static void Close(Tensor expected, Tensor actual, string what, double tolerance = 1e-5)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape {Shape(actual)}, expected {Shape(expected)}");
        var allowed = (expected.abs() + 1) * tolerance;
        bool ok = (expected - actual).abs().le(allowed).all().item<bool>();
        Assert.True(ok, $"{what}: max |Δ| = {MaxDiff(expected, actual):G6} exceeds tolerance {tolerance:G3}");
    }

    /// <summary>Largest absolute difference.</summary>
    public static double MaxDiff(Tensor a, Tensor b) =>
        a.numel() == 0 ? 0 : (a - b).abs().max().to(ScalarType.Float64).item<double>();

    private static string Shape(Tensor t) => string.Join("×", t.shape);
}
