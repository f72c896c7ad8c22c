using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// What a token reduction returns: X' = M·X and s' = A·s with protected tokens copied through unchanged.
/// </summary>
/// <param name="Tokens">B×N'×C reduced tokens: protected prefix, reduced block, protected suffix.</param>
/// <param name="Sizes">B×N' sizes (patches per token). Proportional attention adds their log to the logits.</param>
/// <param name="Layout">The output layout (the reduced block has ⌈ρ·R⌉ tokens; the grid survives only ρ = 1).</param>
/// <param name="Positions">B×R'×2 positions of the reduced block (centroids), or null when the input had none.</param>
/// <param name="Mixing">B×N'×N matrix M with X' = M·X, when asked for (tests and analysis; it costs N'·N memory).</param>
/// <param name="SizeMixing">B×N'×N matrix A with s' = A·s, when asked for.</param>
public sealed record ReductionResult(
    Tensor Tokens, Tensor Sizes, TokenLayout Layout, Tensor? Positions = null, Tensor? Mixing = null, Tensor? SizeMixing = null)
{
    /// <summary>
    /// The input of a later reduction: these tokens, sizes and positions with the later layer's keys and scores.
    /// </summary>
    public ReductionInput ToInput(Tensor? keys = null, Tensor? scores = null) =>
        new(Tokens, Sizes, Layout, keys, scores, Positions);

    /// <summary>The identity (ρ = 1, or nothing reducible): the input's own tensors, M = A = I.</summary>
    internal static ReductionResult Identity(ReductionInput input, bool needMixing)
    {
        Tensor? eyeBatch = null;
        if (needMixing)
        {
            long n = input.Layout.Count;
            eyeBatch = eye(n, dtype: input.Tokens.dtype, device: input.Tokens.device).expand(input.Batch, n, n);
        }
        return new ReductionResult(input.Tokens, input.Sizes, input.Layout, input.BlockPositions(), eyeBatch, eyeBatch);
    }
}
