using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// One layer's reduction during the search. It draws hard Gumbel-softmax samples of the retention ratio (so the
/// model runs physically reduced, at one candidate) and of the operator, runs the mixture of the four aligned
/// anchors with the operator sample's weights (exactly the sampled anchor in value, every anchor's logit in the
/// gradient), and scales the kept rows' sizes by the candidate mask (exactly 1 in value; its straight-through
/// gradient reaches every candidate's logit through the proportional attention of later layers).
/// </summary>
public sealed class RelaxedReduction : ILayerReduction
{
    private readonly SearchParameters parameters;
    private readonly int layer;
    private readonly ScoreKind score;
    private readonly double temperature;
    private readonly Generator generator;

    /// <summary>The reduction of <paramref name="layer"/> under the current parameters.</summary>
    public RelaxedReduction(SearchParameters parameters, int layer, ScoreKind score, double temperature, Generator generator)
    {
        this.parameters = parameters;
        this.layer = layer;
        this.score = score;
        this.temperature = temperature;
        this.generator = generator;
    }

    /// <inheritdoc />
    public bool NeedsAttentionWeights => score.NeedsAttentionWeights();

    /// <inheritdoc />
    public bool NeedsKeys => true;

    /// <summary>The candidate index drawn by the last <see cref="Reduce"/>.</summary>
    public int LastChoice { get; private set; }

    /// <inheritdoc />
    public TokenState Reduce(TokenState state, AttentionOutput attention)
    {
        var layout = state.Layout;
        var sample = GumbelSoftmax.Sample(parameters.KeepLogits[layer], temperature, hard: true, generator: generator);
        LastChoice = (int)sample.argmax().item<long>();
        var counts = parameters.Space.Ratios.Select(layout.KeepCount).ToList();
        var scores = TokenScore.Compute(score, state.Tokens, attention.Weights, layout).detach();
        int keep = counts[LastChoice];
        var weights = KeepMask.KeptRowsFromCandidates(scores, layout, counts, sample, keep);
        if (keep == layout.Reducible)
            return state with { Sizes = state.Sizes * weights, Proportional = true };
        var input = new ReductionInput(state.Tokens, state.Sizes, layout, attention.Keys, scores, state.Positions);
        var operators = GumbelSoftmax.Sample(parameters.OperatorLogits[layer], temperature, hard: true, generator: generator);
        var result = OperatorMixture.Apply(input, parameters.Space.Ratios[LastChoice], operators);
        return new TokenState(result.Tokens, result.Sizes * weights, result.Layout, true, result.Positions);
    }
}
