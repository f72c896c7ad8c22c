using Profiler.Core;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Network;

namespace Profiler.Search;

/// <summary>
/// What a search may choose in each encoder layer: a retention ratio of the visual tokens that reach it, from
/// <see cref="Ratios"/> (1 = no reduction there, so the layer's position gate is the probability of a ratio below
/// 1), and an operator α on the O(α) path. Ratios apply to the tokens left after earlier layers' reductions.
/// </summary>
/// <param name="Layers">Encoder layers.</param>
/// <param name="Layout">The input sequence's layout (protected prefix and suffix, the reducible grid).</param>
/// <param name="Ratios">Candidate retention ratios, descending, the first one 1.</param>
public sealed record SearchSpace(int Layers, TokenLayout Layout, IReadOnlyList<double> Ratios)
{
    /// <summary>The default candidates: 1, 7/8, 3/4, 5/8, 1/2, 3/8, 1/4, 1/8.</summary>
    public static IReadOnlyList<double> DefaultRatios { get; } = [1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125];

    /// <summary>The space of <paramref name="model"/>: its layers and input layout, with <paramref name="ratios"/> (default <see cref="DefaultRatios"/>).</summary>
    public static SearchSpace For(ISearchableModel model, IReadOnlyList<double>? ratios = null) =>
        new SearchSpace(model.Layers, model.Layout, ratios ?? DefaultRatios).Validated();

    /// <summary>Throws an <see cref="InputException"/> for an impossible space.</summary>
    public SearchSpace Validated()
    {
        if (Layers < 1) throw new InputException($"a search needs at least one layer, got {Layers}");
        if (Ratios.Count < 2 || Ratios[0] != 1.0)
            throw new InputException("the candidate ratios must start with 1 (no reduction) and hold at least one more");
        for (int i = 1; i < Ratios.Count; i++)
        {
            if (!(Ratios[i] > 0 && Ratios[i] < Ratios[i - 1]))
                throw new InputException($"candidate ratios must fall strictly and stay above 0, got {string.Join(", ", Ratios)}");
        }
        return this;
    }

    /// <summary>Index of the "no reduction" candidate.</summary>
    public const int NoReduction = 0;
}
