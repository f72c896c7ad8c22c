using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// Published baseline: average pooling over fixed spatial windows of the patch grid, down to exactly ⌈ρ·R⌉ tokens.
/// Each output is the size-weighted mean of its window (a plain mean while sizes are 1, so a constant grid stays
/// constant); sizes add; positions become window centroids. Outputs come in raster order of the windows.
/// </summary>
/// <remarks>
/// Windows (see <see cref="Windows"/>): the grid's rows are cut into h' bands of near-equal height,
/// h' = ⌈√(k·rows/cols)⌉ (at least ⌈k/cols⌉, at most min(rows, k)), band i gets ⌊(i+1)k/h'⌋ − ⌊ik/h'⌋ windows, and
/// each band's columns are cut into that many near-equal widths, boundaries at ⌊j·cols/w⌋. So any k gives exactly k
/// non-overlapping windows; band heights differ by at most one patch, and so do the widths within a band. When p
/// divides both sides and k = (rows/p)·(cols/p), these are exactly the p×p windows of stride-p average pooling.
/// Unlike adaptive average pooling, windows never overlap, so Σ s is kept and M is a partition.
/// </remarks>
public static class Pool
{
    /// <summary>Pools <paramref name="input"/>, whose layout must carry the grid of the reducible block.</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, bool needMixing = false)
    {
        input.Validated();
        var grid = input.Layout.Grid
            ?? throw new ArgumentException("pool averages over the patch grid: the layout's reducible block has no grid (reduced before?)");
        int keep = input.Layout.KeepCount(ratio);
        if (keep == input.Layout.Reducible) return ReductionResult.Identity(input, needMixing);
        var windows = tensor(Windows(grid, keep), dtype: ScalarType.Int64, device: input.Tokens.device);
        var cell = windows.unsqueeze(0).expand(input.Batch, grid.Count);
        return Cells.Mean(input, cell, null, keep, needMixing).Assemble(input);
    }

    /// <summary>The window (0…k−1, raster order) of each patch of <paramref name="grid"/>, in raster order.</summary>
    public static long[] Windows(GridShape grid, int windows)
    {
        if (windows < 1 || windows > grid.Count)
            throw new ArgumentOutOfRangeException(nameof(windows), windows, $"a {grid.Rows}×{grid.Cols} grid holds 1…{grid.Count} windows");
        int bands = (int)Math.Ceiling(Math.Sqrt((double)windows * grid.Rows / grid.Cols) - 1e-9);
        bands = Math.Clamp(bands, (windows + grid.Cols - 1) / grid.Cols, Math.Min(grid.Rows, windows));
        var cell = new long[grid.Count];
        int first = 0;
        for (int band = 0; band < bands; band++)
        {
            int top = band * grid.Rows / bands, bottom = (band + 1) * grid.Rows / bands;
            int across = (int)((long)(band + 1) * windows / bands - (long)band * windows / bands);
            for (int row = top; row < bottom; row++)
            {
                for (int col = 0; col < grid.Cols; col++)
                {
                    // Column col lies in window j when ⌊j·cols/w⌋ ≤ col < ⌊(j+1)·cols/w⌋, i.e. j = ⌊((col+1)·w − 1)/cols⌋.
                    int j = ((col + 1) * across - 1) / grid.Cols;
                    cell[row * grid.Cols + col] = first + j;
                }
            }
            first += across;
        }
        return cell;
    }

    /// <summary>
    /// FLOPs: s·x and its scatter-add (2 per element), the division (1 per output element), the sizes' scatter-add
    /// and the positions' weighted mean (5 per token), and the clamp of each divisor.
    /// </summary>
    public static double Flops(long tokensIn, long tokensOut, long hidden, long batch = 1) =>
        batch * CellMeanFlops(tokensIn, tokensOut, hidden);

    /// <summary>Compulsory bytes: tokens and sizes read, pooled tokens and sizes written.</summary>
    public static double Bytes(long tokensIn, long tokensOut, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * batch * ((tokensIn + tokensOut) * (hidden + 1.0));

    /// <summary>FLOPs of one <see cref="Cells.Mean"/> with positions: the shared tail of pool, merge and the aligned operators.</summary>
    internal static double CellMeanFlops(long n, long k, long d) => 2.0 * n * d + k * d + 5.0 * n + 3.0 * k;
}
