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
/// Ranking is TopK, whose ties keep the lower index first, as torch's stable sort does; merging and pooling are
/// ScatterElements with reduction "add", as torch's scatter_add. What ONNX cannot express is the search-time
/// relaxation (Gumbel-softmax sampling of O(α) with gradients): the profiler times the anchors only.
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
            ? [Score(cells, inputs, c)]
            : Reduction(cells, inputs, c);
        for (int i = 0; i < signature.Outputs.Count; i++)
            g.Output(outputs[i] ?? throw new InvalidOperationException($"{c.Key}: output {i} missing"), signature.Outputs[i].Select(OnnxDim.Fixed).ToArray());
        return g.Build();
    }

    private static string Score(CellGraphs cells, Dictionary<string, string> inputs, OperatorCase c)
    {
        var g = cells.Builder;
        var kind = ScoreOf(c);
        if (kind == ScoreKind.Norm)
        {
            var x = inputs["x"];
            var squares = g.Node("ReduceSum", [g.Node("Mul", [x, x]), g.Int64s("axes", -1)], OnnxAttribute.Of("keepdims", 0L));
            return g.Node("Sqrt", [squares]);
        }
        // The attention row of the CLS token (first) or the last text token (last), averaged over heads.
        long query = kind == ScoreKind.Cls ? 0 : c.TokensIn - 1;
        var row = g.Node("Gather", [inputs["weights"], g.Int64Scalar("query", query)], OnnxAttribute.Of("axis", 2L));
        return g.Node("ReduceMean", [row], OnnxAttribute.List("axes", 1), OnnxAttribute.Of("keepdims", 0L));
    }

    private static IReadOnlyList<string?> Reduction(CellGraphs cells, Dictionary<string, string> inputs, OperatorCase c)
    {
        var g = cells.Builder;
        int b = c.Batch, n = c.TokensIn, k = c.TokensOut, d = c.Hidden;
        var sizes = g.Weight("sizes", Enumerable.Repeat(1f, b * n).ToArray(), b, n);
        bool aligned = ReductionVariant.Parse(c.Variant).Aligned;
        string? positions = aligned || c.Operator == OperatorKind.Pool ? Positions(g, GridShape.ForTokenCount(n), b) : null;
        string? x = inputs.GetValueOrDefault("x");
        if (aligned) return Aligned(cells, c, x!, sizes, positions!, inputs);
        switch (c.Operator)
        {
            case OperatorKind.Prune:
                var kept = cells.SortAscending(cells.Order(inputs["scores"], k), k);
                var (pt, ps, _) = cells.Select(x!, sizes, null, kept, n, k, d);
                return [pt, ps];
            case OperatorKind.Reweight:
                return [g.Node("Mul", [sizes, ReweightWeights(cells, inputs["scores"], k)])];
            case OperatorKind.Pool:
                var windows = cells.ConstantRows(Pool.Windows(GridShape.ForTokenCount(n), k));
                var pooled = cells.Mean(x!, sizes, positions, windows, n, k, d);
                return [pooled.Tokens, pooled.Sizes, pooled.Positions];
            case OperatorKind.Merge:
                var cell = MergeGraph.Matching(cells, inputs["keys"], sizes, n, k, d);
                var merged = cells.Mean(x!, sizes, null, cell, n, k, d);
                return [merged.Tokens, merged.Sizes];
            default:
                throw new InputException($"{c.Key}: not a reduction");
        }
    }

    private static IReadOnlyList<string?> Aligned(CellGraphs cells, OperatorCase c, string x, string sizes, string positions, Dictionary<string, string> inputs)
    {
        var g = cells.Builder;
        int n = c.TokensIn, k = c.TokensOut, d = c.Hidden;
        var scores = inputs["scores"];
        var order = cells.Order(scores, n);
        var kept = cells.SortAscending(cells.Columns(order, 0, k), k);
        var dropped = cells.Columns(order, k, n);
        (string Tokens, string Sizes, string? Positions) result;
        if (c.Operator == OperatorKind.Prune) result = cells.Select(x, sizes, positions, kept, n, k, d);
        else if (c.Operator == OperatorKind.Merge)
        {
            // Each dropped token joins the kept token whose key is most similar (cosine).
            var unit = cells.Unit(inputs["keys"]);
            var similarity = g.Node("MatMul", [cells.GatherRows(unit, dropped, n, n - k, d),
                g.Node("Transpose", [cells.GatherRows(unit, kept, n, k, d)], OnnxAttribute.Of("perm", 0L, 2, 1))]);
            var cell = Assign(cells, c.Batch, n, k, kept, dropped, g.Node("ArgMax", [similarity], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("keepdims", 0L)));
            result = cells.Mean(x, sizes, positions, cell, n, k, d);
        }
        else
        {
            // Each dropped token joins the spatially nearest kept token (squared distance; ties to the earlier one).
            var keptAt = g.Node("Unsqueeze", [cells.GatherRows(positions, kept, n, k, 2), g.Int64s("axes", 1)]);
            var droppedAt = cells.Unsqueeze(cells.GatherRows(positions, dropped, n, n - k, 2), 2);
            var offset = g.Node("Sub", [droppedAt, keptAt]);
            var distance = g.Node("ReduceSum", [g.Node("Mul", [offset, offset]), g.Int64s("axes", -1)], OnnxAttribute.Of("keepdims", 0L));
            var cell = Assign(cells, c.Batch, n, k, kept, dropped, g.Node("ArgMin", [distance], OnnxAttribute.Of("axis", -1L), OnnxAttribute.Of("keepdims", 0L)));
            string weight = c.Operator == OperatorKind.Reweight ? g.Node("Mul", [sizes, ReweightWeights(cells, scores, k)]) : sizes;
            result = cells.Mean(x, weight, positions, cell, n, k, d);
        }
        return [result.Tokens, result.Sizes, result.Positions];
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
    private static string Assign(CellGraphs cells, int batch, int n, int keep, string kept, string dropped, string droppedRows)
    {
        var g = cells.Builder;
        var zeros = g.Int64Tensor("cell_zeros", new long[batch * n], batch, n);
        var keptRows = cells.ConstantRows(Enumerable.Range(0, keep).Select(i => (long)i).ToArray());
        var withKept = g.Node("ScatterElements", [zeros, kept, keptRows], OnnxAttribute.Of("axis", 1L));
        return g.Node("ScatterElements", [withKept, dropped, droppedRows], OnnxAttribute.Of("axis", 1L));
    }

    private static string Positions(GraphBuilder g, GridShape grid, int batch)
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
}
