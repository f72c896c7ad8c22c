using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Network;

namespace Profiler.Backends.Onnx.Export;

/// <summary>One reduction as the export builds it: after layer <paramref name="Layer"/>'s attention, the reducible
/// block of <paramref name="Layout"/> reduced to <paramref name="Keep"/> tokens.</summary>
/// <param name="Layer">Layer index, 0-based.</param>
/// <param name="Operator">prune, merge, pool or reweight.</param>
/// <param name="Aligned">True for the aligned anchor of O(α), false for the published operator.</param>
/// <param name="Score">The score it ranks by, or null.</param>
/// <param name="Layout">The tokens it sees (protected prefix and suffix, the reducible block, the grid while intact).</param>
/// <param name="Keep">Reducible tokens kept, 1 ≤ Keep &lt; Reducible.</param>
public sealed record ExportStep(int Layer, OperatorKind Operator, bool Aligned, ScoreKind? Score, TokenLayout Layout, int Keep)
{
    /// <summary>Reducible tokens the step sees.</summary>
    public int Reducible => Layout.Reducible;

    /// <summary>The layout after the step: the stand-alone reweight keeps every token (and the grid); the others keep <see cref="Keep"/>.</summary>
    public TokenLayout LayoutAfter => Operator == OperatorKind.Reweight && !Aligned ? Layout : Layout.Reduced(Keep);

    /// <summary>True when later attention adds log-sizes to its logits: every operator but prune makes sizes other than 1.</summary>
    public bool MakesSizes => Operator != OperatorKind.Prune;

    /// <summary>True when the step reads the tokens' grid positions (the spatial anchors and the stand-alone pool).</summary>
    public bool ReadsPositions => Aligned || Operator == OperatorKind.Pool;
}

/// <summary>
/// A plan checked against the model it is exported with, step by step as <see cref="FixedReduction"/> runs it
/// (the same rules and the same layouts), so that what evaluate runs and what the export writes agree.
/// </summary>
public static class ExportPlan
{
    /// <summary>
    /// The reductions by layer (null where a layer does not reduce). A step that keeps every reducible token is the
    /// identity and gets null too. An impossible plan (layer out of range, two steps in a layer, keep count out of
    /// range, a missing score, a stand-alone pool after the grid is gone) and the random score (torch's generator
    /// draws it; nothing in ONNX draws the same numbers) are an <see cref="InputException"/>.
    /// </summary>
    public static ExportStep?[] Resolve(ReductionPlan plan, int layers, TokenLayout input)
    {
        var byLayer = new PlanStep?[layers];
        foreach (var step in plan.Steps)
        {
            if (step.Layer < 0 || step.Layer >= layers) throw new InputException($"plan step at layer {step.Layer}: the model has layers 0..{layers - 1}");
            if (byLayer[step.Layer] is not null) throw new InputException($"plan step at layer {step.Layer}: a second reduction in the same layer");
            byLayer[step.Layer] = step;
        }
        var steps = new ExportStep?[layers];
        var layout = input;
        for (int layer = 0; layer < layers; layer++)
        {
            if (byLayer[layer] is not { } step) continue;
            var resolved = ResolveStep(step, layout);
            if (resolved is null) continue;
            steps[layer] = resolved;
            layout = resolved.LayoutAfter;
        }
        return steps;
    }

    private static ExportStep? ResolveStep(PlanStep step, TokenLayout layout)
    {
        var (op, aligned, score) = (step.Operator, step.Aligned, step.Score);
        if (!op.IsReduction()) throw new InputException($"'{op.Name()}' is not a reduction operator (prune, merge, pool, reweight)");
        if (step.RandomScore)
            throw new InputException($"plan step at layer {step.Layer}: random scores are an accuracy baseline drawn by torch's generator; an exported model cannot draw the same ones");
        if ((aligned || op is OperatorKind.Prune or OperatorKind.Reweight) && score is null)
            throw new InputException($"{op.Name()}{(aligned ? " (aligned)" : "")} at layer {step.Layer} ranks tokens: give the step a score (norm, cls or last-text)");
        int keep = step.Keep - layout.ProtectedCount;
        if (keep < 1 || keep > layout.Reducible)
            throw new InputException($"plan step at layer {step.Layer}: keep {step.Keep} must be in {layout.ProtectedCount + 1}..{layout.Count} ({layout.ProtectedCount} protected tokens)");
        if (op == OperatorKind.Pool && !aligned && layout.Grid is null)
            throw new InputException($"plan step at layer {step.Layer}: pool averages over the patch grid, and an earlier reduction has broken it (use the aligned pool)");
        // Every operator returns its input when it keeps every token (torch's do the same).
        if (keep == layout.Reducible) return null;
        return new ExportStep(step.Layer, op, aligned, score, layout, keep);
    }
}
