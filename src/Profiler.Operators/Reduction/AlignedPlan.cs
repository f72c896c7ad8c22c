using Profiler.Core;
using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// What the four aligned operators share for one batch: the kept positions (the ⌈ρ·R⌉ best by score, in original
/// order, exactly prune's) and each block token's cell, spatial (nearest kept token by position) or by keys (most
/// similar kept token by cosine similarity of keys); kept tokens own their cells. Output row j of every anchor stands
/// for kept token j, which is what makes mixing them meaningful. Cells are computed once, when first needed, and carry
/// no gradient.
/// </summary>
internal sealed class AlignedPlan
{
    private readonly ReductionInput input;
    private Tensor? spatialCell;
    private Tensor? keyCell;

    private AlignedPlan(ReductionInput input, int keep, Tensor kept)
    {
        this.input = input;
        Keep = keep;
        Kept = kept;
    }

    /// <summary>Kept block tokens, k = ⌈ρ·R⌉.</summary>
    public int Keep { get; }

    /// <summary>B×k kept block positions in ascending order.</summary>
    public Tensor Kept { get; }

    /// <summary>The plan at ratio ρ, or null when ρ keeps every reducible token (every anchor is then the identity).</summary>
    public static AlignedPlan? Create(ReductionInput input, double ratio)
    {
        input.Validated();
        int keep = input.Layout.KeepCount(ratio);
        var scores = input.BlockScores("an aligned operator");
        return keep == input.Layout.Reducible ? null : new AlignedPlan(input, keep, Ranking.Kept(scores, keep));
    }

    /// <summary>The block output of one anchor.</summary>
    public BlockOutput Anchor(OperatorKind op, AlignedOptions options) => op switch
    {
        // Prune: the kept token alone (τ → 0 of the reweight weights).
        OperatorKind.Prune => Cells.Select(input, Kept, options.NeedMixing),
        // Reweight: spatial cells, each token weighted by its reweight weight w ≤ 1 (kept tokens 1); sizes Σ w·s.
        OperatorKind.Reweight => Cells.Mean(input, SpatialCell(),
            Reweight.Weights(input.BlockScores("reweight"), Keep, options.Temperature, hard: false), Keep, options.NeedMixing),
        // Pool: spatial cells, size-weighted (τ → ∞ of the reweight weights); sizes add.
        OperatorKind.Pool => Cells.Mean(input, SpatialCell(), null, Keep, options.NeedMixing),
        // Merge: cells by key similarity, size-weighted; sizes add.
        OperatorKind.Merge => Cells.Mean(input, KeyCell(), null, Keep, options.NeedMixing),
        _ => throw new ArgumentException($"{op.Name()} is not one of the four reduction anchors"),
    };

    private Tensor SpatialCell() => spatialCell ??= ComputeSpatialCell();

    private Tensor KeyCell() => keyCell ??= ComputeKeyCell();

    private Tensor ComputeSpatialCell()
    {
        using var _ = no_grad();
        var positions = input.RequirePositions("the reweight and pool anchors");
        // Squared distance of every block token to every kept token; ties go to the earlier kept token.
        var distance = (positions.unsqueeze(2) - Cells.GatherRows(positions, Kept).unsqueeze(1)).square().sum(-1);
        return OwnRows(distance.argmin(-1));
    }

    private Tensor ComputeKeyCell()
    {
        using var _ = no_grad();
        var keys = input.BlockKeys("the merge anchor");
        var unit = keys / keys.norm(-1, keepdim: true).clamp_min(finfo(keys.dtype).tiny);
        var similarity = unit.bmm(Cells.GatherRows(unit, Kept).transpose(1, 2));
        return OwnRows(similarity.argmax(-1));
    }

    /// <summary>
    /// B×R cells from every block token's nearest kept token, with each kept token j set to own row j (a kept token
    /// is its own nearest unless another kept token ties with it). Searching all R tokens rather than only the
    /// dropped ones costs a few more rows of arithmetic and saves the calls that gather and scatter the dropped.
    /// </summary>
    private Tensor OwnRows(Tensor nearest)
    {
        long b = Kept.shape[0];
        var keptRows = arange(Keep, dtype: ScalarType.Int64, device: Kept.device).unsqueeze(0).expand(b, Keep);
        return nearest.scatter_(1, Kept, keptRows);
    }
}
