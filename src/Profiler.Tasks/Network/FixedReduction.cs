using Profiler.Core;
using Profiler.Operators.Layers;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// One step of a discrete plan run by the shared reduction operators: prune or reweight ranked by a score, merge by
/// key similarity, pool over the patch grid. Besides the scores the profiler knows ("norm", "cls", "last-text"),
/// a step may rank by "random" scores (an accuracy baseline, drawn from a generator seeded once per reduction).
/// A step whose variant is "aligned" runs the operator's aligned anchor of O(α) (what a search plan names).
/// </summary>
public sealed class FixedReduction : ILayerReduction, IDisposable
{
    private readonly OperatorKind op;
    private readonly ScoreKind? score;
    private readonly bool random;
    private readonly bool aligned;
    private readonly Generator? generator;

    /// <summary>The step this reduction carries out.</summary>
    public PlanStep Step { get; }

    /// <summary>Checks the step; an impossible one (not a reduction operator, prune without a score) is an <see cref="InputException"/>.</summary>
    public FixedReduction(PlanStep step, int seed = 0)
    {
        Step = step;
        op = step.Operator;
        if (!op.IsReduction()) throw new InputException($"'{op.Name()}' is not a reduction operator (prune, merge, pool, reweight)");
        random = step.RandomScore;
        score = random ? null : step.Score;
        aligned = step.Aligned;
        if ((aligned || op is OperatorKind.Prune or OperatorKind.Reweight) && score is null && !random)
            throw new InputException($"{op.Name()}{(aligned ? " (aligned)" : "")} at layer {step.Layer} ranks tokens: give the step a score (norm, cls, last-text or random)");
        if (random) generator = new Generator((ulong)seed);
    }

    /// <inheritdoc />
    public bool NeedsAttentionWeights => score?.NeedsAttentionWeights() ?? false;

    /// <inheritdoc />
    public bool NeedsKeys => op == OperatorKind.Merge;

    /// <inheritdoc />
    public TokenState Reduce(TokenState state, AttentionOutput attention)
    {
        var layout = state.Layout;
        int keepReducible = Step.Keep - layout.ProtectedCount;
        if (keepReducible < 1 || keepReducible > layout.Reducible)
            throw new InputException($"plan step at layer {Step.Layer}: keep {Step.Keep} must be in {layout.ProtectedCount + 1}..{layout.Count} ({layout.ProtectedCount} protected tokens)");
        double ratio = (double)keepReducible / layout.Reducible;
        Tensor? scores = null;
        if (random) scores = rand(state.Tokens.shape[0], layout.Count, generator: generator).to(state.Tokens.device);
        else if (score is { } kind) scores = TokenScore.Compute(kind, state.Tokens, attention.Weights, layout);
        var input = new ReductionInput(state.Tokens, state.Sizes, layout, attention.Keys, scores, state.Positions);
        var result = aligned ? AlignedReduction.Apply(op, input, ratio) : StandAloneReduction.Apply(op, input, ratio);
        return new TokenState(result.Tokens, result.Sizes, result.Layout, state.Proportional || op != OperatorKind.Prune, result.Positions);
    }

    /// <summary>The reductions of a plan by layer (null where a layer does not reduce).</summary>
    public static FixedReduction?[] ForPlan(ReductionPlan plan, int layers, int seed = 0)
    {
        var byLayer = new FixedReduction?[layers];
        foreach (var step in plan.Steps)
        {
            if (step.Layer < 0 || step.Layer >= layers) throw new InputException($"plan step at layer {step.Layer}: the model has layers 0..{layers - 1}");
            if (byLayer[step.Layer] is not null) throw new InputException($"plan step at layer {step.Layer}: a second reduction in the same layer");
            byLayer[step.Layer] = new FixedReduction(step, seed + step.Layer);
        }
        return byLayer;
    }

    /// <inheritdoc />
    public void Dispose() => generator?.Dispose();
}
