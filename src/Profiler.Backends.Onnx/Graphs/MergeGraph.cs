namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// Merge.Matching as a graph: rounds of bipartite soft matching (ToMe) unrolled, since the number of rounds and the
/// merges in each follow from N and N'. A round splits the tokens alternately into A and B, pairs each A token
/// with its most similar B token (cosine of keys), merges the best-matched pairs, and carries size-weighted mean
/// keys into the next round.
/// </summary>
internal static class MergeGraph
{
    /// <summary>The B×N cell map (which of the <paramref name="keep"/> outputs each token ends in).</summary>
    public static string Matching(CellGraphs cells, string keys, string sizes, int n, int keep)
    {
        var g = cells.Builder;
        string cell = cells.ConstantRows(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        string currentKeys = keys, currentSizes = sizes;
        int current = n;
        while (current > keep)
        {
            int merges = Math.Min(current - keep, (current + 1) / 2);
            var round = Round(cells, currentKeys, current, merges);
            int next = current - merges;
            if (next > keep)
            {
                var weighted = g.Node("Mul", [currentKeys, cells.Unsqueeze(currentSizes, 2)]);
                var total = cells.Unsqueeze(cells.ClampTiny(cells.Sum(currentSizes, round, next)), 2);
                currentKeys = g.Node("Div", [cells.SumRows(weighted, round, next), total]);
                currentSizes = cells.Sum(currentSizes, round, next);
            }
            cell = cells.Gather(round, cell);
            current = next;
        }
        return cell;
    }

    private static string Round(CellGraphs cells, string keys, int n, int merges)
    {
        var g = cells.Builder;
        var unit = cells.Unit(keys);
        var a = g.Node("Slice", [unit, g.Int64s("starts", 0), g.Int64s("ends", n), g.Int64s("axes", 1), g.Int64s("steps", 2)]);
        var partners = g.Node("Slice", [unit, g.Int64s("starts", 1), g.Int64s("ends", n), g.Int64s("axes", 1), g.Int64s("steps", 2)]);
        var similarity = g.Node("MatMul", [a, g.Node("Transpose", [partners], OnnxAttribute.Of("perm", 0L, 2, 1))]);
        var best = g.Node("ReduceMax", [similarity], OnnxAttribute.List("axes", -1), OnnxAttribute.Of("keepdims", 0L));
        var partner = g.Node("ArgMax", [similarity], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("keepdims", 0L));
        var merged = cells.Order(best, merges);
        var two = g.Int64Scalar("two", 2);
        var source = g.Node("Mul", [merged, two]);
        var target = g.Node("Add", [g.Node("Mul", [cells.Gather(partner, merged), two]), g.Int64Scalar("one", 1)]);
        // Survivors keep a row each (running count); a merged A token takes its partner's row.
        var rows = RowsOf(cells, n, merges, source);
        return g.Node("ScatterElements", [rows, source, cells.Gather(rows, target)], OnnxAttribute.Of("axis", 1L));
    }

    private static string RowsOf(CellGraphs cells, int n, int merges, string source)
    {
        var g = cells.Builder;
        var ones = cells.ConstantRows(Enumerable.Repeat(1L, n).ToArray());
        var gone = cells.ConstantRows(new long[merges]);
        var survives = g.Node("ScatterElements", [ones, source, gone], OnnxAttribute.Of("axis", 1L));
        return g.Node("Sub", [g.Node("CumSum", [survives, g.Int64Scalar("axis", 1)]), g.Int64Scalar("one", 1)]);
    }
}
