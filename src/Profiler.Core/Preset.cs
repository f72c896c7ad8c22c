namespace Profiler.Core;

/// <summary>A named model shape with its token layout and the default token grid to profile it on.</summary>
/// <param name="Name">The name users type.</param>
/// <param name="Shape">Layer sizes.</param>
/// <param name="GridSide">The visual tokens form a GridSide × GridSide patch grid.</param>
/// <param name="ProtectedTokens">CLS and text tokens that a reduction never touches (at most this many).</param>
/// <param name="DefaultTokens">Token counts profiled when the user gives no --tokens.</param>
/// <param name="ReductionTokens">Token counts at which reductions and scores are profiled when the user gives no
/// --tokens: a coarser grid, because each is measured at several keep counts and in two forms.</param>
public sealed record Preset(string Name, ModelShape Shape, int GridSide, int ProtectedTokens, IReadOnlyList<int> DefaultTokens,
    IReadOnlyList<int> ReductionTokens)
{
    /// <summary>Number of visual (patch) tokens.</summary>
    public int VisualTokens => GridSide * GridSide;

    /// <summary>
    /// The embedded task's model: d=128, h=4, m=512, 4 layers, 12×12 patches, CLS and a 2-word question.
    /// The grid runs past the unreduced sequence (147 tokens) so that a fitted model does not extrapolate there.
    /// </summary>
    public static Preset Tiny { get; } = new("tiny", new ModelShape(128, 4, 512, 4), 12, 3, TokenGrid.Range(8, 256, 8), TokenGrid.Range(16, 256, 16));

    /// <summary>ViT-B/16 at 224 px: 14×14 patches plus CLS.</summary>
    public static Preset VitB16 { get; } = new("vit-b-16", new ModelShape(768, 12, 3072, 12), 14, 1, TokenGrid.Range(16, 400, 32), TokenGrid.Range(16, 400, 64));

    /// <summary>
    /// One language-model layer of LLaVA-1.5-7B: 576 visual tokens (24×24) plus text. The MLP is profiled as the
    /// two-matrix form the FastV proxy counts, not LLaMA's three-matrix SwiGLU.
    /// </summary>
    public static Preset Llava157B { get; } = new("llava-1.5-7b", new ModelShape(4096, 32, 11008, 32), 24, 64, TokenGrid.Range(64, 640, 64), TokenGrid.Range(64, 640, 128));

    /// <summary>All presets, in the order they are listed to users.</summary>
    public static IReadOnlyList<Preset> All { get; } = [Tiny, VitB16, Llava157B];

    /// <summary>Finds a preset by name; an unknown name is an <see cref="InputException"/>.</summary>
    public static Preset Parse(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InputException($"unknown preset '{name}' (known: {string.Join(", ", All.Select(p => p.Name))})");
}
