using Profiler.Core;

namespace Profiler.CostModel.Features;

/// <summary>
/// The inputs of the tree models: the case's sizes as they are, and a reduction's retention ratio k/n. Trees split on
/// token counts directly, so a split's softened width is in tokens and a real step stays where it was measured. A
/// tree model of a reduction reads its output either as tokens out or as the ratio (see
/// <see cref="Fitting.MlTreeRegressor"/>): some costs step with the ratio, not with a token count (a merge below
/// ρ = ½ runs a second bipartite round at every n).
/// </summary>
public static class SizeFeatures
{
    /// <summary>Feature names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tokensIn", "tokensOut", "ratio", "hidden", "heads", "mlpSize", "batch"];

    /// <summary>Number of features.</summary>
    public const int Count = 7;

    /// <summary>Index of tokens in.</summary>
    public const int TokensIn = 0;

    /// <summary>Index of tokens out.</summary>
    public const int TokensOut = 1;

    /// <summary>Index of the retention ratio tokens out / tokens in.</summary>
    public const int Ratio = 2;

    /// <summary>The feature values of a case.</summary>
    public static double[] Values(OperatorCase c) => At(c.TokensIn, c.TokensOut, [c.Hidden, c.Heads, c.MlpSize, c.Batch]);

    /// <summary>The feature values at token counts <paramref name="tokensIn"/> → <paramref name="tokensOut"/> with the fixed sizes <paramref name="constants"/>.</summary>
    public static double[] At(double tokensIn, double tokensOut, IReadOnlyList<double> constants) =>
        [tokensIn, tokensOut, tokensOut / tokensIn, .. constants];

    /// <summary>The features that stay fixed for a shape (everything after the token counts).</summary>
    public static double[] Constants(CaseShape s) => [s.Hidden, s.Heads, s.MlpSize, s.Batch];

    /// <summary>Index of a feature name, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name) return i;
        }
        return -1;
    }
}
