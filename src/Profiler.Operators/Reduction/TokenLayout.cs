namespace Profiler.Operators.Reduction;

/// <summary>
/// Where the reducible tokens sit in a sequence: <see cref="Prefix"/> protected tokens (CLS, a system prompt), then
/// <see cref="Reducible"/> tokens that a reduction may drop, pool or merge (the visual tokens), then
/// <see cref="Suffix"/> protected tokens (the question). Protected tokens pass through every operator unchanged.
/// </summary>
/// <remarks>
/// The reducible tokens must be one contiguous block. With protected tokens interleaved among them, each batch item
/// would keep a different set and its protected tokens would land at different output rows; one block keeps the
/// output layout the same for the whole batch (prefix, the reduced block, suffix), which the model and the search
/// rely on. Real layouts (CLS + patches + question; system prompt + image + question) are of this form.
/// </remarks>
public sealed record TokenLayout
{
    /// <summary>Creates a layout; <paramref name="grid"/>, when given, must hold exactly the reducible tokens.</summary>
    public TokenLayout(int prefix, int reducible, int suffix, GridShape? grid = null)
    {
        if (prefix < 0 || reducible < 0 || suffix < 0)
            throw new ArgumentException($"token counts must not be negative (prefix {prefix}, reducible {reducible}, suffix {suffix})");
        if (grid is { } g && g.Count != reducible)
            throw new ArgumentException($"a {g.Rows}×{g.Cols} grid holds {g.Count} patches, not the {reducible} reducible tokens");
        Prefix = prefix;
        Reducible = reducible;
        Suffix = suffix;
        Grid = grid;
    }

    /// <summary>Protected tokens before the reducible block.</summary>
    public int Prefix { get; }

    /// <summary>Tokens an operator may reduce, R.</summary>
    public int Reducible { get; }

    /// <summary>Protected tokens after the reducible block.</summary>
    public int Suffix { get; }

    /// <summary>The patch grid of the reducible block in raster order, or null once a reduction has broken it.</summary>
    public GridShape? Grid { get; }

    /// <summary>All tokens, N.</summary>
    public int Count => Prefix + Reducible + Suffix;

    /// <summary>Protected tokens, P = prefix + suffix.</summary>
    public int ProtectedCount => Prefix + Suffix;

    /// <summary>A vision-transformer layout: <paramref name="prefix"/> protected tokens, the grid, <paramref name="suffix"/> text tokens.</summary>
    public static TokenLayout Vision(GridShape grid, int prefix = 1, int suffix = 0) => new(prefix, grid.Count, suffix, grid);

    /// <summary>
    /// A layout from a per-token protected mask; the unprotected tokens must be contiguous (see remarks on the type).
    /// </summary>
    public static TokenLayout FromProtectedMask(IReadOnlyList<bool> isProtected, GridShape? grid = null)
    {
        int first = -1, last = -1;
        for (int i = 0; i < isProtected.Count; i++)
        {
            if (isProtected[i]) continue;
            if (first < 0) first = i;
            else if (last != i - 1)
                throw new ArgumentException($"protected token at {last + 1} sits between reducible tokens; the reducible tokens must be one block");
            last = i;
        }
        if (first < 0) return new TokenLayout(isProtected.Count, 0, 0);
        return new TokenLayout(first, last - first + 1, isProtected.Count - last - 1, grid);
    }

    /// <summary>The protected mask, true for prefix and suffix tokens.</summary>
    public bool[] ProtectedMask() =>
        Enumerable.Range(0, Count).Select(i => i < Prefix || i >= Prefix + Reducible).ToArray();

    /// <summary>
    /// Reducible tokens kept at retention ratio ρ ∈ (0, 1]: ⌈ρ·R⌉, at least 1 (0 when R is 0). ρ applies to the
    /// reducible tokens only; the protected ones are always kept on top.
    /// </summary>
    public int KeepCount(double ratio)
    {
        if (!(ratio > 0 && ratio <= 1))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the retention ratio must lie in (0, 1]");
        if (Reducible == 0) return 0;
        // The small slack stops 0.7·10 = 7.000000000000001 from rounding up to 8.
        return Math.Clamp((int)Math.Ceiling(ratio * Reducible - 1e-9), 1, Reducible);
    }

    /// <summary>Output token count N' = P + ⌈ρ·R⌉ of a count-reducing operator.</summary>
    public int OutputCount(double ratio) => ProtectedCount + KeepCount(ratio);

    /// <summary>The layout after the block is reduced to <paramref name="keep"/> tokens (the grid survives only the identity).</summary>
    public TokenLayout Reduced(int keep)
    {
        if (keep < 0 || keep > Reducible)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"keep must lie in 0..{Reducible}");
        return keep == Reducible ? this : new TokenLayout(Prefix, keep, Suffix);
    }
}
