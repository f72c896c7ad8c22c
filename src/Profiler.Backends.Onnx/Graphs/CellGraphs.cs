namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// The building blocks the reductions share, as ONNX subgraphs with static shapes for batch <paramref name="batch"/>:
/// the same steps as Profiler.Operators' Cells and Ranking (sums into cells, size-weighted cell means, row gathers,
/// stable descending order). Like Cells, rows are gathered whole over the flattened batch (Gather on B·N rows, as
/// torch's index_select). Sums into cells are a one-hot membership matrix (B×k×R) times the rows, one MatMul.
/// Index tensors are int64; everything else float32.
/// </summary>
/// <remarks>
/// Not ScatterND with reduction "add", the direct form of torch's index_add: ONNX Runtime's CPU kernel splits the
/// updates across its threads with nothing to stop two threads adding into the same cell at once
/// (microsoft/onnxruntime#18048). Measured with ONNX Runtime 1.32 and two threads, 30 runs each: 16×144 rows of 128
/// into 40 cells came out wrong in 1–14 runs (by up to 3.4), 576 rows of 4096 into 288 in 6–10 (by up to 4.2), and an
/// exported model merging at batch 16 gave other logits on every run; small sums (144 rows of 128) were not split and
/// came out right. ScatterElements with reduction "add" is exact too but runs element by element, at 576×4096 → 288
/// 1.7 times the product's time (23 ms against 14 ms). The product costs 2·k·R·C FLOPs, a small matrix product
/// beside the layer's.
/// </remarks>
internal sealed class CellGraphs(GraphBuilder g, int batch)
{
    private readonly Dictionary<(string Cell, int Keep), string> memberships = [];

    /// <summary>The smallest normal float32, torch's finfo(float32).tiny, that divisors are clamped to.</summary>
    public const float Tiny = 1.17549435e-38f;

    /// <summary>The builder the subgraphs go into.</summary>
    public GraphBuilder Builder => g;

    /// <summary>The batch size every shape here is built for.</summary>
    public int Batch => batch;

    /// <summary>B×keep: Σ of <paramref name="values"/> (B×R) into <paramref name="keep"/> cells.</summary>
    public string Sum(string values, string cell, int keep) =>
        Reshape(g.Node("MatMul", [Membership(cell, keep), Unsqueeze(values, 2)]), batch, keep);

    /// <summary>B×keep×C: Σ of the rows of <paramref name="rows"/> (B×R×C) into <paramref name="keep"/> cells.</summary>
    public string SumRows(string rows, string cell, int keep) =>
        g.Node("MatMul", [Membership(cell, keep), rows]);

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
    public (string Tokens, string Sizes, string? Positions) Mean(string tokens, string weight, string? positions, string cell, int keep)
    {
        var total = Sum(weight, cell, keep);
        var divisor = Unsqueeze(ClampTiny(total), 2);
        var column = Unsqueeze(weight, 2);
        var means = g.Node("Div", [SumRows(g.Node("Mul", [tokens, column]), cell, keep), divisor]);
        string? meanPositions = positions is null ? null
            : g.Node("Div", [SumRows(g.Node("Mul", [positions, column]), cell, keep), divisor]);
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

    /// <summary>
    /// B×keep×R: 1 where row r of item b lies in cell c, else 0 (the transposed one-hot of the cell map), made once
    /// per cell map and shared by the sums that read it.
    /// </summary>
    private string Membership(string cell, int keep)
    {
        if (memberships.TryGetValue((cell, keep), out var made)) return made;
        var oneHot = g.Node("OneHot", [cell, g.Int64s("depth", keep), g.Weight("off_on", [0f, 1f], 2)], OnnxAttribute.Of("axis", -1L));
        var membership = g.Node("Transpose", [oneHot], OnnxAttribute.Of("perm", 0L, 2, 1));
        memberships[(cell, keep)] = membership;
        return membership;
    }
}
