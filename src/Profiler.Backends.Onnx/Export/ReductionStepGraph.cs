using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using Profiler.Operators.Reduction;

namespace Profiler.Backends.Onnx.Export;

/// <summary>The sequence between layers in the exported graph: the values of the model's TokenState.</summary>
/// <param name="Tokens">B×N×C tokens.</param>
/// <param name="Sizes">B×N sizes.</param>
/// <param name="Positions">B×R×2 positions of the reducible tokens once a reduction has made them and a later step needs them; null while the grid's own serve.</param>
/// <param name="Layout">Protected prefix, reducible block (and its grid while intact), protected suffix.</param>
/// <param name="Bias">The B×1×1×N proportional-attention bias (log-sizes) once sizes differ from 1, else null.</param>
internal sealed record GraphState(string Tokens, string Sizes, string? Positions, TokenLayout Layout, string? Bias);

/// <summary>
/// One plan step inside the exported model, as FixedReduction.Reduce runs it: the score from the layer's tokens or
/// attention probabilities, the reducible block cut out, the profiled reduction graph
/// (<see cref="ReductionGraphs.Reduce"/>) on it, the protected tokens put back, and the proportional-attention bias
/// that the following layers add.
/// </summary>
/// <remarks>
/// What differs from the graphs the profile times, and why:
/// <list type="bullet">
/// <item>The block is sliced out of the sequence and the protected tokens (CLS, question) concatenated back around
/// it: a profiled case has no protected tokens. Slices and concatenations copy B×N×C values, no arithmetic.</item>
/// <item>Sizes and positions are the sequence's, not constants of one: after a merge, pool or reweight the sizes
/// differ from 1 and the positions are centroids. The same nodes read them.</item>
/// <item>A stand-alone prune or merge also carries positions forward when a later step reads them (the profiled
/// case has no later step): one more gather or cell sum of B×R×2 values.</item>
/// <item>A score no step reads is not computed (torch computes a score a stand-alone merge or pool was given and
/// ignores it; ONNX Runtime would drop such nodes anyway).</item>
/// </list>
/// </remarks>
internal static class ReductionStepGraph
{
    /// <summary>
    /// The state after <paramref name="step"/>, given the state after the layer's attention residual and what the
    /// attention handed over (its probabilities and keys). <paramref name="positionsLater"/> says whether a later step
    /// reads positions.
    /// </summary>
    public static GraphState Apply(CellGraphs cells, GraphState state, ExportStep step, AttentionGraph attention, int hidden, bool positionsLater)
    {
        var g = cells.Builder;
        var layout = state.Layout;
        int prefix = layout.Prefix, reducible = layout.Reducible, count = layout.Count;
        string Block(string perToken) => Slice(g, perToken, prefix, prefix + reducible);

        string? scores = null;
        if (step.Score is { } kind)
        {
            // The attention row of the CLS token (first) or of the last text token (last), as TokenScore.Compute.
            var source = kind == ScoreKind.Norm ? state.Tokens : attention.Weights;
            scores = Block(ReductionGraphs.Score(g, kind, source, kind == ScoreKind.Cls ? 0 : count - 1));
        }
        string? keys = step.Operator == OperatorKind.Merge
            ? Block(attention.Keys ?? throw new InvalidOperationException($"layer {step.Layer}: merge needs the attention's keys"))
            : null;
        bool needPositions = step.ReadsPositions || positionsLater;
        string? positions = state.Positions;
        if (positions is null && needPositions)
        {
            var grid = layout.Grid ?? throw new InvalidOperationException($"layer {step.Layer}: positions were dropped before a step that reads them");
            positions = ReductionGraphs.Positions(g, grid, cells.Batch);
        }
        bool passThrough = step.Operator == OperatorKind.Reweight && !step.Aligned;
        var block = new BlockValues(passThrough ? null : Block(state.Tokens), Block(state.Sizes), positions, keys, scores);
        // Only the stand-alone pool reads the grid here, and ExportPlan lets it run only while the grid is intact.
        var poolGrid = layout.Grid ?? GridShape.ForTokenCount(reducible);
        var result = ReductionGraphs.Reduce(cells, step.Operator, step.Aligned, block, poolGrid, reducible, step.Keep, hidden);

        var tokens = passThrough ? state.Tokens : Surround(g, state.Tokens, result.Tokens!, layout);
        var sizes = Surround(g, state.Sizes, result.Sizes, layout);
        string? bias = state.Bias;
        if (step.MakesSizes || bias is not null)
        {
            // AttentionBias.Proportional: log(max(s, tiny)), B×1×1×N.
            bias = g.Node("Unsqueeze", [g.Node("Log", [cells.ClampTiny(sizes)]), g.Int64s("axes", 1, 2)]);
        }
        return new GraphState(tokens, sizes, positionsLater ? result.Positions : null, step.LayoutAfter, bias);
    }

    /// <summary>Columns [start, end) of axis 1.</summary>
    private static string Slice(GraphBuilder g, string t, long start, long end) =>
        g.Node("Slice", [t, g.Int64s("starts", start), g.Int64s("ends", end), g.Int64s("axes", 1)]);

    /// <summary>The protected prefix and suffix of <paramref name="full"/> put back around <paramref name="block"/> (BlockOutput.Assemble).</summary>
    private static string Surround(GraphBuilder g, string full, string block, TokenLayout layout)
    {
        var parts = new List<string>();
        if (layout.Prefix > 0) parts.Add(Slice(g, full, 0, layout.Prefix));
        parts.Add(block);
        if (layout.Suffix > 0) parts.Add(Slice(g, full, layout.Prefix + layout.Reducible, layout.Count));
        return parts.Count == 1 ? block : g.Node("Concat", parts, OnnxAttribute.Of("axis", 1L));
    }
}
