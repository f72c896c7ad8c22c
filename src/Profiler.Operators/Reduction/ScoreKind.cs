using Profiler.Core;

namespace Profiler.Operators.Reduction;

/// <summary>Which token-importance score a reduction ranks by (an operator case's variant names it).</summary>
public enum ScoreKind
{
    /// <summary>"norm": the L2 norm of each token. Free: the layer keeps its fused attention.</summary>
    Norm,
    /// <summary>"cls": attention received from the CLS token (first prefix token), mean over heads.</summary>
    Cls,
    /// <summary>"last-text": attention received from the last token of the sequence, mean over heads (FastV).</summary>
    LastText,
}

/// <summary>Names of scores as users type them, and back.</summary>
public static class ScoreKinds
{
    /// <summary>The name a user types: "norm", "cls", "last-text".</summary>
    public static string Name(this ScoreKind kind) => kind switch
    {
        ScoreKind.Norm => "norm",
        ScoreKind.Cls => "cls",
        ScoreKind.LastText => "last-text",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// True when the score reads the attention probabilities, which forces the layer off the fused attention
    /// routine; that cost belongs to the layer, and the profiler times it with the reduction.
    /// </summary>
    public static bool NeedsAttentionWeights(this ScoreKind kind) => kind is ScoreKind.Cls or ScoreKind.LastText;

    /// <summary>Parses a score name; an unknown one is an <see cref="InputException"/> listing the known ones.</summary>
    public static ScoreKind Parse(string name) =>
        TryParse(name, out var kind) ? kind
            : throw new InputException($"unknown score '{name}' (known: {string.Join(", ", Enum.GetValues<ScoreKind>().Select(k => k.Name()))})");

    /// <summary>The score <paramref name="name"/> names (trimmed, any case); false for another name.</summary>
    public static bool TryParse(string name, out ScoreKind kind) => EnumNames.TryParse(name, Name, out kind);
}
