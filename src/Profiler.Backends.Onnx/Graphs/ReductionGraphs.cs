using Profiler.Core;
using Profiler.Operators.Reduction;

namespace Profiler.Backends.Onnx.Graphs;

/// <summary>
/// Scores and token reductions as ONNX opset-17 graphs, step for step as Profiler.Operators computes them and with
/// the inputs the torch backend gives them: tokens and keys B×N×D (normal), scores B×N (uniform), sizes all one,
/// every token reducible; pool and the aligned anchors see the tokens as the most nearly square patch grid. A CLS or
/// last-text score reads B×H×N×N attention probabilities, drawn uniform here (it reads one row and averages it,
/// so their values do not change its time).
/// Shapes are static (top-k counts and cell maps depend on N and N'), so each case has its own small model.
/// Ranking is TopK, whose ties keep the lower index first, as torch's stable sort does; merging and pooling sum into
/// cells with one-hot products where torch uses index_add (CellGraphs says why not ScatterND). What ONNX cannot
/// express is the search-time relaxation (Gumbel-softmax sampling of O(α) with gradients): the profiler times the
/// anchors only.
/// </summary>
public static class ReductionGraphs
{
    /// <summary>Operators this class builds.</summary>
    public static IReadOnlyList<OperatorKind> Supported { get; } =
        [OperatorKind.Score, OperatorKind.Prune, OperatorKind.Merge, OperatorKind.Pool, OperatorKind.Reweight];

    /// <summary>The inputs and outputs of a score or reduction case.</summary>
    public static CaseSignature Signature(OperatorCase c)
    {
        long b = c.Batch, n = c.TokensIn, k = c.TokensOut, d = c.Hidden;
        // The operators return their input untouched then, as torch's do: there is no work to build a graph for.
        if (c.Operator.IsReduction() && k == n) throw new InputException($"{c.Key}: a reduction that keeps every token is the identity; nothing to time");
        var tokens = new CaseInput("x", [b, n, d], InputDistribution.Normal);
        var keys = new CaseInput("keys", [b, n, d], InputDistribution.Normal);
        var scores = new CaseInput("scores", [b, n], InputDistribution.Uniform);
        long[] outTokens = [b, k, d], outSizes = [b, k], outPositions = [b, k, 2];
        if (c.Operator == OperatorKind.Score)
        {
            return ScoreOf(c) == ScoreKind.Norm
                ? new([tokens], [[b, n]])
                : new([new CaseInput("weights", [b, c.Heads, n, n], InputDistribution.Uniform)], [[b, n]]);
        }
        if (ReductionVariant.Parse(c.Variant).Aligned)
        {
            CaseInput[] inputs = c.Operator == OperatorKind.Merge ? [tokens, keys, scores] : [tokens, scores];
            return new(inputs, [outTokens, outSizes, outPositions]);
        }
        return c.Operator switch
        {
            OperatorKind.Prune => new([tokens, scores], [outTokens, outSizes]),
            OperatorKind.Reweight => new([scores], [[b, n]]),
            OperatorKind.Pool => new([tokens], [outTokens, outSizes, outPositions]),
            OperatorKind.Merge => new([tokens, keys], [outTokens, outSizes]),
            _ => throw new InputException($"{c.Key}: not a score or reduction"),
        };
    }

    /// <summary>The model of a score or reduction case.</summary>
    public static OnnxModel Build(OperatorCase c)
    {
        var signature = Signature(c);
        var g = new GraphBuilder(c.Operator.Name());
        var cells = new CellGraphs(g, c.Batch);
        var inputs = signature.Inputs.ToDictionary(i => i.Name, i => g.Input(i.Name, i.Shape.Select(OnnxDim.Fixed).ToArray()));
        IReadOnlyList<string?> outputs = c.Operator == OperatorKind.Score
            ? [CaseScore(g, inputs, c)]
            : Reduction(cells, inputs, c);
        for (int i = 0; i < signature.Outputs.Count; i++)
            g.Output(outputs[i] ?? throw new InvalidOperationException($"{c.Key}: output {i} missing"), signature.Outputs[i].Select(OnnxDim.Fixed).ToArray());
        return g.Build();
    }

    private static string CaseScore(GraphBuilder g, Dictionary<string, string> inputs, OperatorCase c)
    {
        var kind = ScoreOf(c);
        // The attention row of the CLS token (first) or the last text token (last).
        return kind == ScoreKind.Norm ? Score(g, kind, inputs["x"], 0) : Score(g, kind, inputs["weights"], kind == ScoreKind.Cls ? 0 : c.TokensIn - 1);
    }

    /// <summary>
    /// A B×N score: the L2 norm of each row of <paramref name="source"/> (tokens, B×N×C) for "norm", else the
    /// attention that query row <paramref name="query"/> of <paramref name="source"/> (probabilities, B×H×N×N)
    /// gives each token, averaged over heads (TokenScore.Compute).
    /// </summary>
    internal static string Score(GraphBuilder g, ScoreKind kind, string source, long query)
    {
        if (kind == ScoreKind.Norm)
        {
            var squares = g.Node("ReduceSum", [g.Node("Mul", [source, source]), g.Int64s("axes", -1)], OnnxAttribute.Of("keepdims", 0L));
            return g.Node("Sqrt", [squares]);
        }
        var row = g.Node("Gather", [source, g.Int64Scalar("query", query)], OnnxAttribute.Of("axis", 2L));
        return g.Node("ReduceMean", [row], OnnxAttribute.List("axes", 1), OnnxAttribute.Of("keepdims", 0L));
    }

    /// <summary>
    /// One reduction of the block <paramref name="v"/> (R = <paramref name="n"/> rows, width <paramref name="d"/>) to
    /// <paramref name="k"/> rows: the published operator or, with <paramref name="aligned"/>, its aligned anchor.
    /// <paramref name="grid"/> is the patch grid a stand-alone pool averages over. Positions go through when given
    /// (the aligned anchors and pool need them); the stand-alone reweight returns its input tokens and positions.
    /// </summary>
    internal static BlockResult Reduce(CellGraphs cells, OperatorKind op, bool aligned, BlockValues v, GridShape grid, int n, int k, int d)
    {
        var g = cells.Builder;
        if (aligned) return Aligned(cells, op, v, n, k, d);
        switch (op)
        {
            case OperatorKind.Prune:
                var kept = cells.SortAscending(cells.Order(Need(v.Scores, "scores"), k), k);
                var (pt, ps, pp) = cells.Select(Need(v.Tokens, "tokens"), v.Sizes, v.Positions, kept, n, k, d);
                return new BlockResult(pt, ps, pp);
            case OperatorKind.Reweight:
                return new BlockResult(v.Tokens, g.Node("Mul", [v.Sizes, ReweightWeights(cells, Need(v.Scores, "scores"), k)]), v.Positions);
            case OperatorKind.Pool:
                var windows = cells.ConstantRows(Pool.Windows(grid, k));
                var pooled = cells.Mean(Need(v.Tokens, "tokens"), v.Sizes, Need(v.Positions, "positions"), windows, k);
                return new BlockResult(pooled.Tokens, pooled.Sizes, pooled.Positions);
            case OperatorKind.Merge:
                var cell = MergeGraph.Matching(cells, Need(v.Keys, "keys"), v.Sizes, n, k);
                var merged = cells.Mean(Need(v.Tokens, "tokens"), v.Sizes, v.Positions, cell, k);
                return new BlockResult(merged.Tokens, merged.Sizes, merged.Positions);
            default:
                throw new InputException($"{op.Name()} is not a reduction");
        }
    }

    private static IReadOnlyList<string?> Reduction(CellGraphs cells, Dictionary<string, string> inputs, OperatorCase c)
    {
        var g = cells.Builder;
        int b = c.Batch, n = c.TokensIn, k = c.TokensOut, d = c.Hidden;
        var sizes = g.Weight("sizes", Enumerable.Repeat(1f, b * n).ToArray(), b, n);
        bool aligned = ReductionVariant.Parse(c.Variant).Aligned;
        var grid = GridShape.ForTokenCount(n);
        string? positions = aligned || c.Operator == OperatorKind.Pool ? Positions(g, grid, b) : null;
        var block = new BlockValues(inputs.GetValueOrDefault("x"), sizes, positions, inputs.GetValueOrDefault("keys"), inputs.GetValueOrDefault("scores"));
        var result = Reduce(cells, c.Operator, aligned, block, grid, n, k, d);
        if (aligned) return [result.Tokens, result.Sizes, result.Positions];
        return c.Operator switch
        {
            OperatorKind.Reweight => [result.Sizes],
            OperatorKind.Pool => [result.Tokens, result.Sizes, result.Positions],
            _ => [result.Tokens, result.Sizes],
        };
    }

    private static BlockResult Aligned(CellGraphs cells, OperatorKind op, BlockValues v, int n, int k, int d)
    {
        var g = cells.Builder;
        string x = Need(v.Tokens, "tokens"), sizes = v.Sizes, positions = Need(v.Positions, "positions");
        var scores = Need(v.Scores, "scores");
        var order = cells.Order(scores, n);
        var kept = cells.SortAscending(cells.Columns(order, 0, k), k);
        var dropped = cells.Columns(order, k, n);
        (string Tokens, string Sizes, string? Positions) result;
        if (op == OperatorKind.Prune) result = cells.Select(x, sizes, positions, kept, n, k, d);
        else if (op == OperatorKind.Merge)
        {
            // Each dropped token joins the kept token whose key is most similar (cosine).
            var unit = cells.Unit(Need(v.Keys, "keys"));
            var similarity = g.Node("MatMul", [cells.GatherRows(unit, dropped, n, n - k, d),
                g.Node("Transpose", [cells.GatherRows(unit, kept, n, k, d)], OnnxAttribute.Of("perm", 0L, 2, 1))]);
            var cell = Assign(cells, n, k, kept, dropped, g.Node("ArgMax", [similarity], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("keepdims", 0L)));
            result = cells.Mean(x, sizes, positions, cell, k);
        }
        else
        {
            // Each dropped token joins the spatially nearest kept token (squared distance; ties to the earlier one).
            var keptAt = g.Node("Unsqueeze", [cells.GatherRows(positions, kept, n, k, 2), g.Int64s("axes", 1)]);
            var droppedAt = cells.Unsqueeze(cells.GatherRows(positions, dropped, n, n - k, 2), 2);
            var offset = g.Node("Sub", [droppedAt, keptAt]);
            var distance = g.Node("ReduceSum", [g.Node("Mul", [offset, offset]), g.Int64s("axes", -1)], OnnxAttribute.Of("keepdims", 0L));
            var cell = Assign(cells, n, k, kept, dropped, g.Node("ArgMin", [distance], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("keepdims", 0L)));
            string weight = op == OperatorKind.Reweight ? g.Node("Mul", [sizes, ReweightWeights(cells, scores, k)]) : sizes;
            result = cells.Mean(x, weight, positions, cell, k);
        }
        return new BlockResult(result.Tokens, result.Sizes, result.Positions);
    }

    /// <summary>Reweight.Weights, soft, τ = 1: exp(min(0, score − θ) / σ) with θ the k-th best score, σ the population spread.</summary>
    private static string ReweightWeights(CellGraphs cells, string scores, int keep)
    {
        var g = cells.Builder;
        const float temperature = 1f;
        var threshold = cells.Columns(cells.Largest(scores, keep), keep - 1, keep);
        var centred = g.Node("Sub", [scores, g.Node("ReduceMean", [scores], OnnxAttribute.List("axes", -1), OnnxAttribute.Of("keepdims", 1L))]);
        var spread = cells.ClampTiny(g.Node("Sqrt", [g.Node("ReduceMean", [g.Node("Mul", [centred, centred])],
            OnnxAttribute.List("axes", -1), OnnxAttribute.Of("keepdims", 1L))]));
        var below = g.Node("Min", [g.Node("Sub", [scores, threshold]), g.Scalar("zero", 0f)]);
        return g.Node("Exp", [g.Node("Div", [below, g.Node("Mul", [spread, g.Scalar("temperature", temperature)])])]);
    }

    /// <summary>The cell map: kept token j → cell j, dropped token i → cell of its chosen kept token.</summary>
    private static string Assign(CellGraphs cells, int n, int keep, string kept, string dropped, string droppedRows)
    {
        var g = cells.Builder;
        var zeros = g.Int64Tensor("cell_zeros", new long[cells.Batch * n], cells.Batch, n);
        var keptRows = cells.ConstantRows(Enumerable.Range(0, keep).Select(i => (long)i).ToArray());
        var withKept = g.Node("ScatterElements", [zeros, kept, keptRows], OnnxAttribute.Of("axis", 1L));
        return g.Node("ScatterElements", [withKept, dropped, droppedRows], OnnxAttribute.Of("axis", 1L));
    }

    /// <summary>B×R×2 (row, column) of the grid's patches in raster order, as a constant.</summary>
    internal static string Positions(GraphBuilder g, GridShape grid, int batch)
    {
        var values = new float[batch * grid.Count * 2];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < grid.Count; i++)
            {
                values[(b * grid.Count + i) * 2] = i / grid.Cols;
                values[(b * grid.Count + i) * 2 + 1] = i % grid.Cols;
            }
        }
        return g.Weight("positions", values, batch, grid.Count, 2);
    }

    private static ScoreKind ScoreOf(OperatorCase c) =>
        ReductionVariant.Parse(c.Variant).Score ?? throw new InputException($"{c.Key}: a score case names its score (norm, cls, last-text)");

    private static string Need(string? value, string what) =>
        value ?? throw new InvalidOperationException($"this reduction reads {what}, and the graph gave none");
}

/// <summary>The values of the reducible block a reduction reads in a graph (B×R rows; R×C tokens and keys).</summary>
/// <param name="Tokens">Tokens, or null where the operator does not read them (the stand-alone reweight).</param>
/// <param name="Sizes">Sizes, B×R.</param>
/// <param name="Positions">B×R×2 positions, or null where nothing needs them.</param>
/// <param name="Keys">Attention keys, for merge.</param>
/// <param name="Scores">B×R scores, for the operators that rank.</param>
internal sealed record BlockValues(string? Tokens, string Sizes, string? Positions, string? Keys, string? Scores);

/// <summary>A reduction's block outputs: tokens B×k×C, sizes B×k, positions B×k×2 when the input had them.</summary>
internal readonly record struct BlockResult(string? Tokens, string Sizes, string? Positions);
