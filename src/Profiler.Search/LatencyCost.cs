using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Latency from a fitted surrogate, in milliseconds: the sum over layers of the operators at the tokens each layer
/// sees, plus each reduction anchor's cost (and its score's, and the unfused attention a CLS score forces) weighted
/// by how likely the layer reduces with it, plus <see cref="OffsetMs"/>. Needs the aligned anchors in the profile
/// (profile --aligned).
/// </summary>
public sealed class LatencyCost : IPlanCost, IDisposable
{
    private readonly LatencySurrogate surrogate;
    private readonly Preset preset;
    private readonly Dictionary<ScoreKind, ModelLatencySurrogate> relaxed = [];

    /// <summary>The scores a search can price by default: those with a profiled cost and no text token needed.</summary>
    public static IReadOnlyList<ScoreKind> SearchScores { get; } = [ScoreKind.Norm, ScoreKind.Cls];

    /// <summary>
    /// The cost of <paramref name="preset"/>'s model, for relaxed plans ranking by any of <paramref name="scores"/>
    /// (default <see cref="SearchScores"/>). The relaxed models are built here, outside any dispose scope, so that the
    /// per-step scopes of a search do not free their tensors.
    /// </summary>
    public LatencyCost(LatencySurrogate surrogate, Preset preset, IReadOnlyList<ScoreKind>? scores = null)
    {
        this.surrogate = surrogate;
        this.preset = preset;
        foreach (var score in scores ?? SearchScores)
        {
            var options = AlignedReduction.Anchors.Select(op => ReductionOption.Of(PlanSteps.Step(0, 1, op, score))).ToList();
            relaxed[score] = new ModelLatencySurrogate(surrogate, preset.Shape, 1, preset.ProtectedTokens, options);
        }
    }

    /// <inheritdoc />
    public string Name => "latency";

    /// <inheritdoc />
    public string Unit => "ms";

    /// <summary>The fingerprint of the profile the surrogate was fitted on (the device latency is predicted for).</summary>
    public string Device => surrogate.Document.Profile.Fingerprint.HardwareKey;

    /// <summary>
    /// Milliseconds added to every prediction: what the model's forward spends outside the profiled operators
    /// (embeddings, head, the framework's dispatch), the same whatever the plan. Zero until <see cref="Anchor"/>.
    /// </summary>
    public double OffsetMs { get; private set; }

    /// <summary>
    /// Anchors the predictions on a measured forward of the unreduced model on the profiled device: the difference
    /// becomes <see cref="OffsetMs"/>, so that the unreduced model is predicted at exactly <paramref name="measuredMs"/>.
    /// </summary>
    public void Anchor(double measuredMs)
    {
        OffsetMs = measuredMs - OperatorSum(ReductionPlan.None);
        IsAnchored = true;
    }

    /// <summary>True once <see cref="Anchor"/> has run: a sweep of targets measures the unreduced model once.</summary>
    public bool IsAnchored { get; private set; }

    /// <inheritdoc />
    public Tensor Expected(SearchParameters parameters, ScoreKind score)
    {
        var (attention, mlp) = TokenFlow.Expected(parameters);
        if (!relaxed.TryGetValue(score, out var model))
            throw new InvalidOperationException($"this latency cost was not built for the score '{score.Name()}'");
        return model.forward(attention, mlp, TokenFlow.AnchorWeights(parameters)) / 1000.0 + OffsetMs;
    }

    /// <inheritdoc />
    public double Of(ReductionPlan plan) => OperatorSum(plan) + OffsetMs;

    private double OperatorSum(ReductionPlan plan)
    {
        using var model = ModelLatencySurrogate.ForPlan(surrogate, preset, plan, calibrated: false);
        using var scope = NewDisposeScope();
        var (a, m, w) = model.Inputs(plan, preset.VisualTokens + preset.ProtectedTokens);
        return model.forward(a, m, w).item<double>() / 1000.0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in relaxed.Values) model.Dispose();
        relaxed.Clear();
    }
}
