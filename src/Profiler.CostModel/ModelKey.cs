using Profiler.Core;

namespace Profiler.CostModel;

/// <summary>
/// What one fitted cost model covers: an operator and its variant (a prune by CLS attention and a prune by norm are
/// different work, so they get different models). Written "operator" or "operator:variant".
/// </summary>
/// <param name="Operator">The operator.</param>
/// <param name="Variant">The case variant, empty if none.</param>
public readonly record struct ModelKey(OperatorKind Operator, string Variant = "")
{
    /// <summary>The name users type, e.g. "attention" or "prune:cls".</summary>
    public string Name => Variant.Length == 0 ? Operator.Name() : $"{Operator.Name()}:{Variant}";

    /// <summary>The key of a case.</summary>
    public static ModelKey Of(OperatorCase c) => new(c.Operator, c.Variant);

    /// <summary>Parses "operator" or "operator:variant"; an unknown operator is an <see cref="InputException"/>.</summary>
    public static ModelKey Parse(string text)
    {
        var t = text.Trim();
        int colon = t.IndexOf(':');
        return colon < 0 ? new ModelKey(OperatorNames.Parse(t)) : new ModelKey(OperatorNames.Parse(t[..colon]), t[(colon + 1)..].Trim());
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
