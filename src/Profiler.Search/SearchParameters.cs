using Profiler.Operators.Reduction;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// The search's trainable parameters: per layer, logits over the candidate retention ratios and logits over the
/// four aligned anchors (prune, reweight, pool, merge), relaxed by Gumbel-softmax. Logits rather than the scalar α
/// of O(α): the expected cost then weighs every operator at once, while α's hat weights see only the two anchors
/// around it, so a cheap operator two segments away would never pull α toward it.
/// </summary>
public sealed class SearchParameters : nn.Module
{
    private readonly Parameter keepLogits;
    private readonly Parameter operatorLogits;

    /// <summary>
    /// Starts every layer leaning to "no reduction" (its logit <paramref name="keepAllBias"/> above the others) with
    /// every operator equally likely.
    /// </summary>
    public SearchParameters(SearchSpace space, double keepAllBias = 1.0) : base(nameof(SearchParameters))
    {
        Space = space.Validated();
        var logits = zeros(space.Layers, space.Ratios.Count, dtype: float32);
        logits[.., SearchSpace.NoReduction] = keepAllBias;
        keepLogits = new Parameter(logits);
        operatorLogits = new Parameter(zeros(space.Layers, AlignedReduction.Anchors.Count, dtype: float32));
        register_parameter("keep_logits", keepLogits);
        register_parameter("operator_logits", operatorLogits);
    }

    /// <summary>The space searched.</summary>
    public SearchSpace Space { get; }

    /// <summary>Layers × candidates logits.</summary>
    public Tensor KeepLogits => keepLogits;

    /// <summary>Layers × candidates probabilities softmax(logits) (the expected-cost weights).</summary>
    public Tensor KeepProbabilities() => keepLogits.softmax(1);

    /// <summary>Layers × 4 logits over the anchors, in the order of <see cref="AlignedReduction.Anchors"/>.</summary>
    public Tensor OperatorLogits => operatorLogits;

    /// <summary>Per layer, the probabilities of the anchors prune, reweight, pool, merge (Layers × 4).</summary>
    public Tensor AnchorWeights() => operatorLogits.softmax(1);
}
