namespace Profiler.Operators.Reduction;

/// <summary>Settings of the aligned operators, O(α) and the operator mixture.</summary>
/// <param name="Temperature">
/// τ of the reweight anchor's weights exp(−max(0, θ − score)/(τ·σ)), in units of the scores' standard deviation σ
/// (see <see cref="Reweight"/>): τ → 0 turns the anchor into prune, τ → ∞ into pool.
/// </param>
/// <param name="NeedMixing">Also return the matrices M and A (B×N'×N).</param>
public sealed record AlignedOptions(double Temperature = 1.0, bool NeedMixing = false)
{
    /// <summary>The defaults: τ = 1, no matrices.</summary>
    public static AlignedOptions Default { get; } = new();
}
