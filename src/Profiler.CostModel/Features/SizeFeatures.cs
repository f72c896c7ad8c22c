using Profiler.Core;

namespace Profiler.CostModel.Features;

/// <summary>
/// The inputs of the tree models: the case's sizes as they are. Trees split on token counts directly, so a split's
/// softened width is in tokens and a real step stays where it was measured.
/// </summary>
public static class SizeFeatures
{
    /// <summary>Feature names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tokensIn", "tokensOut", "hidden", "heads", "mlpSize", "batch"];

    /// <summary>Number of features.</summary>
    public const int Count = 6;

    /// <summary>Index of tokens in.</summary>
    public const int TokensIn = 0;

    /// <summary>Index of tokens out.</summary>
    public const int TokensOut = 1;

    /// <summary>The feature values of a case.</summary>
    public static double[] Values(OperatorCase c) => [c.TokensIn, c.TokensOut, c.Hidden, c.Heads, c.MlpSize, c.Batch];

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
