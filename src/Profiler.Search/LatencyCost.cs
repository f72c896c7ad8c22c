using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Surrogate;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Latency from a fitted surrogate, in milliseconds: the sum over layers of the operators at the tokens each layer
/// sees, plus each reduction anchor's cost (and its score's, and the unfused attention a CLS score forces) weighted
/// by how likely the layer reduces with it; once calibrated on measured forwards, plus <see cref="Offset"/> and
/// times <see cref="Scale"/>. Needs the aligned anchors in the profile (profile --aligned).
/// </summary>
public sealed class LatencyCost : IPlanCost, IDisposable
{
    private readonly LatencySurrogate surrogate;
    private readonly Preset preset;
    private readonly Dictionary<ScoreKind, ModelLatencySurrogate> relaxed = [];

    /// <summary>
    /// The scores a search tries by default, all profiled: the free token norm, attention from CLS, and attention
    /// from the last text token (FastV; the task's model ends its sequence with the question).
    /// </summary>
    public static IReadOnlyList<ScoreKind> SearchScores { get; } = [ScoreKind.Norm, ScoreKind.Cls, ScoreKind.LastText];

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
    /// Milliseconds added to every operator sum: what the model's forward spends outside the profiled operators
    /// (embeddings, head, the framework's dispatch), the same whatever the plan. Zero until <see cref="Calibrate"/>.
    /// </summary>
    public Latency Offset => Latency.FromMilliseconds(offsetMs);

    // The offset in the cost's unit, ms: the search's tensors carry milliseconds, the surrogate's microseconds.
    private double offsetMs;

    private static readonly double MicrosecondsPerMillisecond = Latency.FromMilliseconds(1).Microseconds;

    /// <summary>
    /// How much slower the machine ran while the calibration measured than while the profile did (1 until
    /// <see cref="Calibrate"/>): a shared machine's speed drifts as a whole, by tens of per cent between minutes.
    /// </summary>
    public double Scale { get; private set; } = 1;

    /// <summary>
    /// Calibrates the predictions on two forwards measured side by side on the profiled device: the unreduced model,
    /// and <paramref name="reference"/>, a reduced one. Measured = Scale · (operator sum + Offset)
    /// holds for both: their ratio gives the offset, whatever speed the machine ran at, and the unreduced one the
    /// scale. Where the reference is not faster (measured or predicted), the calibration falls back to the offset
    /// alone and returns false.
    /// </summary>
    public bool Calibrate(Latency unreduced, ReductionPlan reference, Latency measuredReference)
    {
        double unreducedMs = unreduced.Milliseconds, referenceMs = measuredReference.Milliseconds;
        double full = OperatorSum(ReductionPlan.None), reduced = OperatorSum(reference), ratio = referenceMs / unreducedMs;
        double offset = (ratio * full - reduced) / (1 - ratio);
        // Both calibrated predictions, reduced + offset = ratio·(full − reduced)/(1 − ratio) and full + offset, are
        // positive exactly when the reference is faster both measured and predicted.
        bool solved = ratio is > 0 and < 1 && reduced < full;
        offsetMs = solved ? offset : unreducedMs - full;
        Scale = solved ? unreducedMs / (full + offset) : 1;
        return solved;
    }

    /// <inheritdoc />
    public Tensor Expected(SearchParameters parameters, ScoreKind score)
    {
        var (attention, mlp) = TokenFlow.Expected(parameters);
        if (!relaxed.TryGetValue(score, out var model))
            throw new InvalidOperationException($"this latency cost was not built for the score '{score.Name()}'");
        return (model.forward(attention, mlp, TokenFlow.AnchorWeights(parameters)) / MicrosecondsPerMillisecond + offsetMs) * Scale;
    }

    /// <inheritdoc />
    public double Of(ReductionPlan plan) => (OperatorSum(plan) + offsetMs) * Scale;

    /// <summary>The predicted latency of the model's forward under <paramref name="plan"/>.</summary>
    public Latency Predict(ReductionPlan plan) => Latency.FromMilliseconds(Of(plan));

    private double OperatorSum(ReductionPlan plan)
    {
        using var model = ModelLatencySurrogate.ForPlan(surrogate, preset, plan, calibrated: false);
        using var scope = NewDisposeScope();
        var (a, m, w) = model.Inputs(plan, preset.VisualTokens + preset.ProtectedTokens);
        return model.forward(a, m, w).item<double>() / MicrosecondsPerMillisecond;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in relaxed.Values) model.Dispose();
        relaxed.Clear();
    }
}
