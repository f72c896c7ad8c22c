namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// The building blocks the reductions share, as ONNX subgraphs with static shapes for batch <paramref name="batch"/>:
/// the same steps as Profiler.Operators' Cells and Ranking (sums into cells, size-weighted cell means, row gathers,
/// stable descending order). Like Cells, rows are gathered and summed whole over the flattened batch (Gather and
/// ScatterND on B·N rows, as torch's index_select and index_add) rather than element by element with an index per
/// element. Index tensors are int64; everything else float32.
/// </summary>
internal sealed class CellGraphs(GraphBuilder g, int batch)
{
    /// <summary>The smallest normal float32, torch's finfo(float32).tiny, that divisors are clamped to.</summary>
    public const float Tiny = 1.17549435e-38f;

    /// <summary>The builder the subgraphs go into.</summary>
    public GraphBuilder Builder => g;

    /// <summary>The batch size every shape here is built for.</summary>
    public int Batch => batch;

    /// <summary>Float zeros of a static shape.</summary>
    public string Zeros(params long[] dims) => g.Node("ConstantOfShape", [g.Int64s("shape", dims)]);

    /// <summary>B×keep: Σ of <paramref name="values"/> (B×R) into <paramref name="keep"/> cells.</summary>
    public string Sum(string values, string cell, int rowCount, int keep)
    {
        var flat = g.Node("ScatterND", [Zeros(batch * keep), FlatIndex(cell, rowCount, keep), Reshape(values, batch * rowCount)],
            OnnxAttribute.Of("reduction", "add"));
        return Reshape(flat, batch, keep);
    }

    /// <summary>B×keep×C: Σ of the rows of <paramref name="rows"/> (B×R×C) into <paramref name="keep"/> cells.</summary>
    public string SumRows(string rows, string cell, int rowCount, int keep, int width)
    {
        var flat = g.Node("ScatterND", [Zeros(batch * keep, width), FlatIndex(cell, rowCount, keep), Reshape(rows, batch * rowCount, width)],
            OnnxAttribute.Of("reduction", "add"));
        return Reshape(flat, batch, keep, width);
    }

    /// <summary>B×K×C: the rows of <paramref name="rows"/> (B×N×C) at <paramref name="index"/> (B×K).</summary>
    public string GatherRows(string rows, string index, int rowCount, int count, int width)
    {
        var offsets = Offsets(rowCount);
        var flat = Reshape(g.Node("Add", [index, offsets]), batch * count);
        return Reshape(g.Node("Gather", [Reshape(rows, batch * rowCount, width), flat], OnnxAttribute.Of("axis", 0L)), batch, count, width);
    }

    /// <summary>Elements of <paramref name="values"/> (B×R) at <paramref name="index"/> (B×K).</summary>
    public string Gather(string values, string index) => g.Node("GatherElements", [values, index], OnnxAttribute.Of("axis", 1L));

    /// <summary>Indices (B×<paramref name="count"/>) of the largest scores first; ties keep the lower index first, as a stable sort.</summary>
    public string Order(string scores, int count) =>
        g.Nodes("TopK", [scores, g.Int64s("k", count)], 2, OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("largest", 1L))[1];

    /// <summary>The <paramref name="count"/> largest values of each row, largest first.</summary>
    public string Largest(string scores, int count) =>
        g.Nodes("TopK", [scores, g.Int64s("k", count)], 2, OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("largest", 1L))[0];

    /// <summary>Index rows sorted ascending (through float32, exact below 2²⁴).</summary>
    public string SortAscending(string index, int count)
    {
        var asFloat = g.Node("Cast", [index], OnnxAttribute.Of("to", (long)OnnxElementType.Float));
        var sorted = g.Nodes("TopK", [asFloat, g.Int64s("k", count)], 2, OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("largest", 0L))[0];
        return g.Node("Cast", [sorted], OnnxAttribute.Of("to", (long)OnnxElementType.Int64));
    }

    /// <summary>Columns [start, end) of a B×R tensor (with a step).</summary>
    public string Columns(string t, long start, long end, long step = 1) =>
        g.Node("Slice", [t, g.Int64s("starts", start), g.Int64s("ends", end), g.Int64s("axes", 1), g.Int64s("steps", step)]);

    /// <summary>Adds a trailing axis of size 1.</summary>
    public string Unsqueeze(string t, long axis) => g.Node("Unsqueeze", [t, g.Int64s("axes", axis)]);

    /// <summary>max(t, tiny): a divisor that is never zero.</summary>
    public string ClampTiny(string t) => g.Node("Max", [t, g.Scalar("tiny", Tiny)]);

    /// <summary>Rows scaled to unit L2 norm (a zero row stays zero).</summary>
    public string Unit(string rows) =>
        g.Node("Div", [rows, ClampTiny(g.Node("ReduceL2", [rows], OnnxAttribute.List("axes", -1), OnnxAttribute.Of("keepdims", 1L)))]);

    /// <summary>
    /// Cells.Mean: cell c gets the <paramref name="weight"/>-weighted mean of its tokens (and positions), and the
    /// total weight as its size. Returns tokens (B×keep×D), sizes (B×keep) and positions (B×keep×2, when given).
    /// </summary>
    public (string Tokens, string Sizes, string? Positions) Mean(string tokens, string weight, string? positions, string cell, int rows, int keep, int width)
    {
        var total = Sum(weight, cell, rows, keep);
        var divisor = Unsqueeze(ClampTiny(total), 2);
        var column = Unsqueeze(weight, 2);
        var means = g.Node("Div", [SumRows(g.Node("Mul", [tokens, column]), cell, rows, keep, width), divisor]);
        string? meanPositions = positions is null ? null
            : g.Node("Div", [SumRows(g.Node("Mul", [positions, column]), cell, rows, keep, 2), divisor]);
        return (means, total, meanPositions);
    }

    /// <summary>Cells.Select: the rows (sizes, positions) at the kept indices.</summary>
    public (string Tokens, string Sizes, string? Positions) Select(string tokens, string sizes, string? positions, string kept, int rows, int keep, int width) =>
        (GatherRows(tokens, kept, rows, keep, width), Gather(sizes, kept), positions is null ? null : GatherRows(positions, kept, rows, keep, 2));

    /// <summary>A constant int64 B×R index tensor with every row equal to <paramref name="row"/>.</summary>
    public string ConstantRows(IReadOnlyList<long> row)
    {
        var values = new long[batch * row.Count];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < row.Count; i++) values[b * row.Count + i] = row[i];
        }
        return g.Int64Tensor("rows", values, batch, row.Count);
    }

    private string Reshape(string t, params long[] shape) => g.Node("Reshape", [t, g.Int64s("shape", shape)]);

    /// <summary>B×1 offsets 0, n, 2n, … that turn per-item row indices into rows of the flattened batch.</summary>
    private string Offsets(int rowsPerItem) =>
        g.Int64Tensor("offsets", Enumerable.Range(0, batch).Select(b => (long)b * rowsPerItem).ToArray(), batch, 1);

    /// <summary>ScatterND indices (B·R×1) of the cells in the flattened B·keep output rows.</summary>
    private string FlatIndex(string cell, int rowCount, int keep) =>
        Reshape(g.Node("Add", [cell, Offsets(keep)]), batch * rowCount, 1);
}
