namespace Profiler.Operators.Reduction;

/// <summary>
/// Published baseline: global top-k pruning (as in FastV or EViT without the fused token). Keeps the ⌈ρ·R⌉
/// highest-scoring reducible tokens in their original order, plus every protected token; M has one-hot rows and the
/// kept tokens keep their sizes. It is also the aligned operator O(0), bit for bit.
/// </summary>
public static class Prune
{
    /// <summary>Prunes <paramref name="input"/> (which needs <see cref="ReductionInput.Scores"/>) to retention ratio ρ.</summary>
    public static ReductionResult Apply(ReductionInput input, double ratio, bool needMixing = false)
    {
        input.Validated();
        int keep = input.Layout.KeepCount(ratio);
        var scores = input.BlockScores("prune");
        if (keep == input.Layout.Reducible) return ReductionResult.Identity(input, needMixing);
        return Cells.Select(input, Ranking.Kept(scores, keep), needMixing).Assemble(input);
    }

    /// <summary>
    /// No arithmetic: ranking compares scores and the kept rows are copied. (Computing the scores is the separate
    /// score operator.)
    /// </summary>
    public static double Flops(long tokensIn, long tokensOut, long hidden, long batch = 1) => 0;

    /// <summary>Compulsory bytes: scores read, kept tokens and sizes read and written.</summary>
    public static double Bytes(long tokensIn, long tokensOut, long hidden, long batch = 1, int elementBytes = 4) =>
        elementBytes * batch * (tokensIn + 2.0 * tokensOut * hidden + 2.0 * tokensOut);
}
