using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>The patch grid that the reducible tokens form, in raster order (row by row).</summary>
/// <param name="Rows">Patch rows.</param>
/// <param name="Cols">Patch columns.</param>
public readonly record struct GridShape(int Rows, int Cols)
{
    /// <summary>Number of patches, <c>Rows·Cols</c>.</summary>
    public int Count => Rows * Cols;

    /// <summary>
    /// The most nearly square grid of exactly <paramref name="tokens"/> patches (rows ≤ columns), e.g. 144 → 12×12,
    /// 100 → 10×10, 96 → 8×12, a prime p → 1×p. Used where a case has a token count but no image.
    /// </summary>
    public static GridShape ForTokenCount(int tokens)
    {
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "a grid needs at least one patch");
        int rows = (int)Math.Sqrt(tokens);
        while (tokens % rows != 0) rows--;
        return new GridShape(rows, tokens / rows);
    }

    /// <summary>Count×2 (row, column) coordinates of the patches in raster order.</summary>
    public Tensor Positions(ScalarType dtype, Device device)
    {
        var coordinates = new double[2 * Count];
        for (int i = 0; i < Count; i++)
        {
            coordinates[2 * i] = i / Cols;
            coordinates[2 * i + 1] = i % Cols;
        }
        return tensor(coordinates, [Count, 2], dtype: dtype, device: device);
    }

    /// <summary>
    /// <see cref="Positions"/> made once per grid, dtype and device and kept for the life of the program (outside
    /// every dispose scope). Callers get views of it and must not write to them: every reduction reads the grid's
    /// positions, and building them costs more than the reduction's own arithmetic.
    /// </summary>
    internal Tensor SharedPositions(ScalarType dtype, Device device)
    {
        var grid = this;
        return Shared.GetOrAdd((this, dtype, device.ToString()), _ => grid.Positions(dtype, device).DetachFromDisposeScope()).alias();
    }

    private static readonly ConcurrentDictionary<(GridShape, ScalarType, string), Tensor> Shared = new();
}
