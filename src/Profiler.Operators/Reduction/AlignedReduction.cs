using Profiler.Core;

namespace Profiler.Operators.Reduction;

/// <summary>
/// The four reduction operators in aligned form, the anchors of O(α): all keep the same ⌈ρ·R⌉ positions (by score)
/// and give every other block token a cell; output j is a weighted mean over cell j.
/// <list type="bullet">
/// <item>α = 0, prune: the kept token alone. Bit for bit the stand-alone <see cref="Prune"/>.</item>
/// <item>α = 0.25, reweight: spatial cells (nearest kept token), weights w·s with w the <see cref="Reweight"/>
/// weights (1 for kept tokens); sizes Σ w·s. It is the stand-alone reweight followed by a size-weighted mean over
/// the spatial cells; τ → 0 gives prune, τ → ∞ gives pool.</item>
/// <item>α = 0.5, pool: spatial cells, size-weighted; sizes add. When the kept tokens are the centres of p×p
/// windows (p odd), the cells are those windows and it equals the stand-alone <see cref="Pool"/>.</item>
/// <item>α = 1, merge: cells by cosine similarity of keys, size-weighted; sizes add. When the kept tokens are
/// ToMe's survivors and each merged token's most similar kept token is its ToMe partner, it equals
/// <see cref="Merge"/>.</item>
/// </list>
/// Inputs need scores; reweight and pool need positions (a grid or <see cref="ReductionInput.Positions"/>); merge
/// needs keys.
/// </summary>
public static class AlignedReduction
{
    /// <summary>The anchors in order of α: prune, reweight, pool, merge (the order of mixture weights too).</summary>
    public static IReadOnlyList<OperatorKind> Anchors { get; } =
        [OperatorKind.Prune, OperatorKind.Reweight, OperatorKind.Pool, OperatorKind.Merge];

    /// <summary>α of each anchor: 0, 0.25, 0.5, 1.</summary>
    public static IReadOnlyList<double> AnchorAlphas { get; } = [0.0, 0.25, 0.5, 1.0];

    /// <summary>The α at which <paramref name="op"/> sits on the O(α) path.</summary>
    public static double AnchorAlpha(OperatorKind op)
    {
        for (int i = 0; i < Anchors.Count; i++)
        {
            if (Anchors[i] == op) return AnchorAlphas[i];
        }
        throw new ArgumentException($"{op.Name()} is not one of the four reduction anchors");
    }

    /// <summary>Applies the aligned form of <paramref name="op"/> at retention ratio ρ.</summary>
    public static ReductionResult Apply(OperatorKind op, ReductionInput input, double ratio, AlignedOptions? options = null)
    {
        options ??= AlignedOptions.Default;
        AnchorAlpha(op);
        var plan = AlignedPlan.Create(input, ratio);
        return plan is null ? ReductionResult.Identity(input, options.NeedMixing) : plan.Anchor(op, options).Assemble(input);
    }

    /// <summary>
    /// FLOPs of an aligned anchor on n block tokens kept to k (ranking itself compares only): spatial cells cost
    /// 5·(n−k)·k (squared distances of the dropped tokens to the kept ones), key cells 3·n·d + 2·n + 2·(n−k)·k·d
    /// (normalise, similarities); reweight adds its weights (8·n) and w·s (n); all but prune then run one cell mean.
    /// </summary>
    public static double Flops(OperatorKind op, long tokensIn, long tokensOut, long hidden, long batch = 1)
    {
        double n = tokensIn, k = tokensOut, d = hidden;
        double cellMean = Pool.CellMeanFlops(tokensIn, tokensOut, hidden);
        double perItem = op switch
        {
            OperatorKind.Prune => 0,
            OperatorKind.Reweight => 5 * (n - k) * k + 9 * n + cellMean,
            OperatorKind.Pool => 5 * (n - k) * k + cellMean,
            OperatorKind.Merge => 3 * n * d + 2 * n + 2 * (n - k) * k * d + cellMean,
            _ => throw new ArgumentException($"{op.Name()} is not one of the four reduction anchors"),
        };
        return batch * perItem;
    }

    /// <summary>Compulsory bytes of an aligned anchor: scores, tokens and sizes (and keys for merge) read, the block written.</summary>
    public static double Bytes(OperatorKind op, long tokensIn, long tokensOut, long hidden, long batch = 1, int elementBytes = 4) => op switch
    {
        OperatorKind.Prune => Prune.Bytes(tokensIn, tokensOut, hidden, batch, elementBytes),
        OperatorKind.Merge => elementBytes * batch * (tokensIn * (2.0 * hidden + 2) + tokensOut * (hidden + 1.0)),
        _ => elementBytes * batch * (tokensIn * (hidden + 2.0) + tokensOut * (hidden + 1.0)),
    };
}
