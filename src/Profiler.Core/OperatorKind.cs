namespace Profiler.Core;

/// <summary>One measured unit of work (DESIGN.md, "Words").</summary>
public enum OperatorKind
{
    /// <summary>QKV projection, scaled dot-product attention and output projection.</summary>
    Attention,
    /// <summary>Two-matrix MLP with GELU.</summary>
    Mlp,
    /// <summary>Layer normalisation over the hidden dimension.</summary>
    LayerNorm,
    /// <summary>A whole pre-norm encoder layer.</summary>
    Block,
    /// <summary>Token-importance scores a reduction needs.</summary>
    Score,
    /// <summary>Keep the highest-scoring tokens.</summary>
    Prune,
    /// <summary>Bipartite soft matching merge.</summary>
    Merge,
    /// <summary>Average over spatial windows of the patch grid.</summary>
    Pool,
    /// <summary>Soft per-token weights from scores.</summary>
    Reweight,
}

/// <summary>Names of operators as users type them, and back.</summary>
public static class OperatorNames
{
    /// <summary>The name a user types for an operator, e.g. "layernorm".</summary>
    public static string Name(this OperatorKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>True for the operators that change the token count.</summary>
    public static bool IsReduction(this OperatorKind kind) =>
        kind is OperatorKind.Prune or OperatorKind.Merge or OperatorKind.Pool or OperatorKind.Reweight;

    /// <summary>Parses one operator name; an unknown name is an <see cref="InputException"/> listing the known ones.</summary>
    public static OperatorKind Parse(string name)
    {
        if (TryParse(name, out var kind)) return kind;
        var known = string.Join(", ", Enum.GetValues<OperatorKind>().Select(k => k.Name()));
        throw new InputException($"unknown operator '{name}' (known: {known})");
    }

    /// <summary>The operator <paramref name="name"/> names (trimmed, any case); false for another name.</summary>
    public static bool TryParse(string name, out OperatorKind kind) => EnumNames.TryParse(name, Name, out kind);

    /// <summary>Parses a comma-separated list of operator names.</summary>
    public static IReadOnlyList<OperatorKind> ParseList(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            throw new InputException($"'{list}' names no operator; give a comma-separated list of {string.Join(", ", Enum.GetValues<OperatorKind>().Select(o => o.Name()))}");
        return names.Select(Parse).Distinct().ToList();
    }
}
