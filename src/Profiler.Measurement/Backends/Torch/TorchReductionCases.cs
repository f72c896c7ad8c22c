using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>
/// Scores and reductions as torch cases, calling the same functions the model calls. A reduction case's tokens in
/// are all reducible (as OperatorCosts counts them); pool sees them as the most nearly square grid. The score a
/// reduction ranks by is an input here: its cost is the score case, and what a score forces on its layer (the
/// unfused attention that CLS and last-text scores read) is the attention case with variant "weights".
/// </summary>
internal static class TorchReductionCases
{
    public static (Func<Tensor[], object> Forward, Func<Generator, Tensor>[] Draws, IDisposable? Owner) Build(OperatorCase c, Device device)
    {
        var variant = ReductionVariant.Parse(c.Variant);
        long b = c.Batch, n = c.TokensIn, d = c.Hidden;
        Func<Generator, Tensor> tokens = g => randn([b, n, d], generator: g);
        if (c.Operator == OperatorKind.Score)
            return BuildScore(c, variant, tokens);

        var layout = c.Operator == OperatorKind.Pool || variant.Aligned
            ? TokenLayout.Vision(GridShape.ForTokenCount(c.TokensIn), prefix: 0)
            : new TokenLayout(0, c.TokensIn, 0);
        double ratio = (double)c.TokensOut / c.TokensIn;
        Func<Generator, Tensor>[] draws =
        [
            tokens,
            g => randn([b, n, d], generator: g),
            g => rand([b, n], generator: g),
        ];
        Func<Tensor[], ReductionInput> input = x => ReductionInput.Create(x[0], layout, keys: x[1], scores: x[2]);
        if (!c.Operator.IsReduction()) throw new InputException($"{c.Key}: the torch backend cannot run {c.Operator.Name()}");
        Func<Tensor[], object> forward = variant.Aligned
            ? x => AlignedReduction.Apply(c.Operator, input(x), ratio)
            : x => StandAloneReduction.Apply(c.Operator, input(x), ratio);
        return (forward, draws, null);
    }

    private static (Func<Tensor[], object>, Func<Generator, Tensor>[], IDisposable?) BuildScore(OperatorCase c, ReductionVariant variant, Func<Generator, Tensor> tokens)
    {
        var kind = variant.Score ?? throw new InputException($"{c.Key}: a score case names its score (norm, cls, last-text)");
        if (kind == ScoreKind.Norm)
            return (x => TokenScore.Norm(x[0]), [tokens], null);
        var layout = kind == ScoreKind.Cls ? new TokenLayout(1, c.TokensIn - 1, 0) : new TokenLayout(0, c.TokensIn - 1, 1);
        long b = c.Batch, h = c.Heads, n = c.TokensIn;
        // Attention probabilities as the layer would hand them over: rows that sum to one.
        Func<Generator, Tensor> weights = g => randn([b, h, n, n], generator: g).softmax(-1);
        return (x => TokenScore.Compute(kind, x[1], x[0], layout), [weights, tokens], null);
    }
}
