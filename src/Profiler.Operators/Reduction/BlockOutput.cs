using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>
/// An operator's result on the reducible block alone (B×k rows). Operators are mixed here, before the protected
/// tokens are put back, so that mixing never touches a protected token: (1−t)·x + t·x is not always x in floating
/// point.
/// </summary>
internal readonly record struct BlockOutput(Tensor Tokens, Tensor Sizes, Tensor? Positions, Tensor? Mixing, Tensor? SizeMixing)
{
    /// <summary>Σ_k w_k·output_k. Weights are 0-dim or per batch item (B). A one-hot weight gives its output exactly.</summary>
    public static BlockOutput Mix(IReadOnlyList<(Tensor Weight, BlockOutput Output)> terms)
    {
        var first = terms[0];
        Tensor tokens = Scale(first.Weight, first.Output.Tokens);
        Tensor sizes = Scale(first.Weight, first.Output.Sizes);
        Tensor? positions = Scale(first.Weight, first.Output.Positions);
        Tensor? mixing = Scale(first.Weight, first.Output.Mixing);
        Tensor? sizeMixing = Scale(first.Weight, first.Output.SizeMixing);
        for (int i = 1; i < terms.Count; i++)
        {
            var (w, o) = terms[i];
            tokens = tokens + Scale(w, o.Tokens);
            sizes = sizes + Scale(w, o.Sizes);
            positions = Add(positions, Scale(w, o.Positions));
            mixing = Add(mixing, Scale(w, o.Mixing));
            sizeMixing = Add(sizeMixing, Scale(w, o.SizeMixing));
        }
        return new BlockOutput(tokens, sizes, positions, mixing, sizeMixing);
    }

    /// <summary>Puts the protected prefix and suffix back around the block and embeds M and A in N'×N.</summary>
    public ReductionResult Assemble(ReductionInput input)
    {
        var layout = input.Layout;
        int keep = (int)Tokens.shape[1];
        return new ReductionResult(
            Surround(input.Tokens, Tokens, layout),
            Surround(input.Sizes, Sizes, layout),
            layout.Reduced(keep),
            Positions,
            Mixing is null ? null : Embed(Mixing, layout),
            SizeMixing is null ? null : Embed(SizeMixing, layout));
    }

    private static Tensor Surround(Tensor full, Tensor block, TokenLayout layout) =>
        cat([full.narrow(1, 0, layout.Prefix), block, full.narrow(1, layout.Prefix + layout.Reducible, layout.Suffix)], 1);

    /// <summary>B×k×R block matrix → B×N'×N with identity rows for the protected tokens.</summary>
    private static Tensor Embed(Tensor block, TokenLayout layout)
    {
        long b = block.shape[0], k = block.shape[1];
        int p = layout.Prefix, r = layout.Reducible, s = layout.Suffix, n = layout.Count;
        var options = (dtype: block.dtype, device: block.device);
        var prefixRows = cat([eye(p, dtype: options.dtype, device: options.device), zeros(p, r + s, dtype: options.dtype, device: options.device)], 1);
        var suffixRows = cat([zeros(s, p + r, dtype: options.dtype, device: options.device), eye(s, dtype: options.dtype, device: options.device)], 1);
        var blockRows = cat([
            zeros(b, k, p, dtype: options.dtype, device: options.device), block,
            zeros(b, k, s, dtype: options.dtype, device: options.device)], 2);
        return cat([prefixRows.expand(b, p, n), blockRows, suffixRows.expand(b, s, n)], 1);
    }

    private static Tensor? Add(Tensor? a, Tensor? b) => a is null || b is null ? null : a + b;

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(t))]
    private static Tensor? Scale(Tensor weight, Tensor? t)
    {
        if (t is null) return null;
        if (weight.dim() == 0) return weight * t;
        var shape = new long[t.dim()];
        Array.Fill(shape, 1L);
        shape[0] = weight.shape[0];
        return weight.reshape(shape) * t;
    }
}
