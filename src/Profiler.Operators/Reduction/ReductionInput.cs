using static TorchSharp.torch;

namespace Profiler.Operators.Reduction;

/// <summary>What a token reduction reads: a batch of token sequences sharing one <see cref="TokenLayout"/>.</summary>
/// <param name="Tokens">B×N×C tokens.</param>
/// <param name="Sizes">B×N sizes (how many patches each token stands for; 1 before any merge).</param>
/// <param name="Layout">Protected prefix and suffix, the reducible block and its grid.</param>
/// <param name="Keys">B×N×C attention keys (heads concatenated); merge matches on them.</param>
/// <param name="Scores">B×N importance scores (higher is more important); prune and reweight rank by them.</param>
/// <param name="Positions">
/// B×R×2 (row, column) positions of the reducible tokens, for the spatial cells of the aligned operators. Null means
/// "the grid's raster positions"; a reduced block carries the size-weighted centroids of what it merged.
/// </param>
public sealed record ReductionInput(
    Tensor Tokens, Tensor Sizes, TokenLayout Layout, Tensor? Keys = null, Tensor? Scores = null, Tensor? Positions = null)
{
    /// <summary>An input whose sizes are all 1 (no token has been merged yet).</summary>
    public static ReductionInput Create(Tensor tokens, TokenLayout layout, Tensor? keys = null, Tensor? scores = null) =>
        new(tokens, ones(tokens.shape[0], tokens.shape[1], dtype: tokens.dtype, device: tokens.device), layout, keys, scores);

    /// <summary>Batch size B.</summary>
    public long Batch => Tokens.shape[0];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first tensor whose shape disagrees with the layout.</summary>
    public ReductionInput Validated()
    {
        if (Tokens.dim() != 3) throw new ArgumentException($"tokens must be B×N×C, got {Shape(Tokens)}");
        long b = Tokens.shape[0], n = Tokens.shape[1], c = Tokens.shape[2];
        if (n != Layout.Count) throw new ArgumentException($"tokens have {n} rows but the layout has {Layout.Count}");
        Expect(Sizes, "sizes", b, n);
        if (Keys is not null) Expect(Keys, "keys", b, n, c);
        if (Scores is not null) Expect(Scores, "scores", b, n);
        if (Positions is not null) Expect(Positions, "positions", b, Layout.Reducible, 2);
        return this;
    }

    /// <summary>The reducible block of a B×N(×…) tensor: rows Prefix … Prefix+R−1 (a view, no copy).</summary>
    internal Tensor Block(Tensor perToken) => perToken.narrow(1, Layout.Prefix, Layout.Reducible);

    /// <summary>The block's scores; an operator that ranks tokens cannot run without them.</summary>
    internal Tensor BlockScores(string operatorName) =>
        Block(Scores ?? throw new ArgumentException($"{operatorName} ranks tokens by score: give the input Scores"));

    /// <summary>The block's keys; merging by similarity cannot run without them.</summary>
    internal Tensor BlockKeys(string operatorName) =>
        Block(Keys ?? throw new ArgumentException($"{operatorName} matches tokens by their keys: give the input Keys"));

    /// <summary>B×R×2 positions of the block, from <see cref="Positions"/> or the grid; null when neither is known.</summary>
    internal Tensor? BlockPositions() =>
        Positions ?? Layout.Grid?.SharedPositions(Tokens.dtype, Tokens.device).unsqueeze(0).expand(Batch, -1, -1);

    /// <summary>Positions where a spatial operator needs them.</summary>
    internal Tensor RequirePositions(string operatorName) =>
        BlockPositions() ?? throw new ArgumentException($"{operatorName} needs positions: give the layout a grid or the input Positions");

    private static void Expect(Tensor t, string name, params long[] shape)
    {
        if (!t.shape.SequenceEqual(shape))
            throw new ArgumentException($"{name} must be {string.Join("×", shape)}, got {Shape(t)}");
    }

    private static string Shape(Tensor t) => string.Join("×", t.shape);
}
