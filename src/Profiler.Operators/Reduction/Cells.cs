using Profiler.Operators.Layers;
using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The one computation behind pool, merge and the aligned operators: every block token belongs to a cell (an output
/// row), and each output is the weighted mean of its cell: the cell sums of w·x and of w, then a division
/// (TorchSharp 0.107 has no public <c>scatter_reduce</c>, and <c>index_reduce</c> is not implemented). The sums use
/// <c>index_add</c> over flattened rows rather than <c>scatter_add</c>, which gives the same sums far faster on CPU.
/// </summary>
internal static class Cells
{
    /// <summary>
    /// Weighted cell means of the block. Weights are u = s·f with s the sizes and f the size factor (1 when null),
    /// and the new sizes are the cell sums of u: with f = 1 sizes add, with f = w a soft weight they shrink.
    /// </summary>
    /// <param name="input">The batch; only its block is read.</param>
    /// <param name="cell">B×R output row (0…keep−1) of each block token.</param>
    /// <param name="sizeFactor">B×R factor f on each token's size, or null for 1.</param>
    /// <param name="keep">Output rows k.</param>
    /// <param name="needMixing">Also build the B×k×R matrices M and A.</param>
    public static BlockOutput Mean(ReductionInput input, Tensor cell, Tensor? sizeFactor, int keep, bool needMixing)
    {
        var sizes = input.Block(input.Sizes);
        var weight = (sizeFactor is null ? sizes : sizes * sizeFactor).unsqueeze(-1);
        var blockPositions = input.BlockPositions();
        long c = input.Tokens.shape[2];
        // One index_add sums the rows [w·x, w, w·p] of each cell: every extra call costs microseconds on CPU.
        var sums = SumRows(cat(blockPositions is null
            ? [input.Block(input.Tokens) * weight, weight]
            : [input.Block(input.Tokens) * weight, weight, blockPositions * weight], -1), cell, keep);
        var total = sums.narrow(-1, c, 1);
        // A cell with zero total weight (only possible after a hard reweight zeroed its sizes) gives 0, not NaN.
        var divisor = total.clamp_min(finfo(total.dtype).tiny);
        var tokens = sums.narrow(-1, 0, c) / divisor;
        var positions = blockPositions is null ? null : sums.narrow(-1, c + 1, 2) / divisor;
        Tensor? mixing = null, sizeMixing = null;
        if (needMixing)
        {
            mixing = Matrix(cell, weight.squeeze(-1) / divisor.squeeze(-1).gather(1, cell), keep);
            sizeMixing = Matrix(cell, sizeFactor ?? ones_like(sizes), keep);
        }
        return new BlockOutput(tokens, total.squeeze(-1), positions, mixing, sizeMixing);
    }

    /// <summary>Rows of the block picked by <paramref name="kept"/> (B×k ascending positions); M = A = one-hot rows.</summary>
    public static BlockOutput Select(ReductionInput input, Tensor kept, bool needMixing)
    {
        var blockPositions = input.BlockPositions();
        Tensor? mixing = null;
        if (needMixing)
            mixing = nn.functional.one_hot(kept, input.Layout.Reducible).to(input.Tokens.dtype);
        return new BlockOutput(
            GatherRows(input.Tokens, kept, input.Layout.Prefix),
            input.Block(input.Sizes).gather(1, kept),
            blockPositions is null ? null : GatherRows(blockPositions, kept),
            mixing,
            mixing);
    }

    /// <summary>
    /// Rows of a B×N×C tensor at B×k indices (offset by <paramref name="offset"/> rows). Batch and token dimensions
    /// are flattened so that one <c>index_select</c> copies whole rows: on CPU that is about ten times faster than
    /// <c>gather</c> with an expanded index, which visits every element (1 ms against 0.1 ms at 288×4096).
    /// </summary>
    public static Tensor GatherRows(Tensor rows, Tensor index, int offset = 0)
    {
        long b = rows.shape[0], n = rows.shape[1], c = rows.shape[2], k = index.shape[1];
        // One item: the rows after the offset are one contiguous view, and the index needs no batch offsets.
        if (b == 1) return rows.narrow(1, offset, n - offset).reshape(n - offset, c).index_select(0, index.reshape(-1)).view(1, k, c);
        return rows.reshape(b * n, c).index_select(0, FlatIndex(index, n, offset)).view(b, k, c);
    }

    /// <summary>B×k cell sums of B×R values.</summary>
    public static Tensor Sum(Tensor values, Tensor cell, int keep)
    {
        long b = values.shape[0];
        return zeros(b * keep, dtype: values.dtype, device: values.device)
            .index_add_(0, FlatIndex(cell, keep), values.flatten(), Residual.One).view(b, keep);
    }

    /// <summary>
    /// B×k×C cell sums of B×R×C rows, with <c>index_add</c> over flattened rows: it adds whole rows and runs about
    /// fifteen times faster on CPU than <c>scatter_add</c> with an expanded index (0.4 ms against 6 ms at 576×4096).
    /// </summary>
    public static Tensor SumRows(Tensor rows, Tensor cell, int keep)
    {
        long b = rows.shape[0], r = rows.shape[1], c = rows.shape[2];
        return zeros(b * keep, c, dtype: rows.dtype, device: rows.device)
            .index_add_(0, FlatIndex(cell, keep), rows.reshape(b * r, c), Residual.One).view(b, keep, c);
    }

    /// <summary>
    /// B×k per-item row indices as indices into the flattened batch: item i's are offset by s + i·n (s =
    /// <paramref name="start"/>). A single item without offset needs no arithmetic.
    /// </summary>
    private static Tensor FlatIndex(Tensor index, long rowsPerItem, long start = 0)
    {
        long b = index.shape[0];
        if (b == 1 && start == 0) return index.reshape(-1);
        var offsets = arange(start, start + b * rowsPerItem, rowsPerItem, dtype: ScalarType.Int64, device: index.device).unsqueeze(1);
        return Residual.Add(index, offsets).flatten();
    }

    /// <summary>B×k×R matrix with <paramref name="values"/>[i] at (cell[i], i) and zeros elsewhere.</summary>
    public static Tensor Matrix(Tensor cell, Tensor values, int keep)
    {
        long b = cell.shape[0], r = cell.shape[1];
        return zeros(b, keep, r, dtype: values.dtype, device: values.device)
            .scatter(1, cell.unsqueeze(1), values.unsqueeze(1));
    }
}
