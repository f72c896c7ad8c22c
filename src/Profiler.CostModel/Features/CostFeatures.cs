using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Profiler.Core;
using Profiler.Operators;

namespace Profiler.CostModel.Features;

/// <summary>
/// The engineered features of the linear cost models: FLOPs and compulsory bytes (from the operators' own counts in
/// <see cref="OperatorCosts"/>), activation elements b·n·d and attention-score elements b·h·n². Each is a
/// <see cref="QuadraticForm"/> in the token counts for a fixed <see cref="CaseShape"/>, so that the ML.NET models and
/// the surrogate compute exactly the same features.
/// </summary>
public static class CostFeatures
{
    /// <summary>Feature names, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["flops", "bytes", "activations", "scores"];

    /// <summary>Number of features.</summary>
    public const int Count = 4;

    /// <summary>Index of the FLOPs feature.</summary>
    public const int Flops = 0;

    private static readonly ConcurrentDictionary<CaseShape, IReadOnlyList<QuadraticForm>> Cache = new();

    /// <summary>The features of a shape as quadratic forms in (tokens in, tokens out), in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<QuadraticForm> Forms(CaseShape shape) => Cache.GetOrAdd(shape, Build);

    /// <summary>The feature values of a case.</summary>
    public static double[] Values(OperatorCase c) =>
        Forms(CaseShape.Of(c)).Select(f => f.Evaluate(c.TokensIn, c.TokensOut)).ToArray();

    private static IReadOnlyList<QuadraticForm> Build(CaseShape shape)
    {
        double b = shape.Batch;
        bool hasScores = shape.Key.Operator is OperatorKind.Attention or OperatorKind.Block;
        return
        [
            Fit(shape, OperatorCosts.Flops, "FLOPs"),
            Fit(shape, OperatorCosts.Bytes, "bytes"),
            new QuadraticForm([0, b * shape.Hidden, 0, 0, 0, 0]),
            hasScores ? new QuadraticForm([0, 0, 0, b * shape.Heads, 0, 0]) : QuadraticForm.Zero,
        ];
    }

    // Least squares over valid sample cases. The dense operators' counts are exact quadratics in n; reductions whose
    // counts are not (an iterated merge) get the nearest quadratic, used the same way by the models and the surrogate.
    private static QuadraticForm Fit(CaseShape shape, Func<OperatorCase, double> count, string what)
    {
        var points = new List<(double N, double K, double Value)>();
        foreach (var (n, k) in SamplePoints(shape.IsReduction))
        {
            try
            {
                points.Add((n, k, count(shape.At(n, k))));
            }
            catch (InputException)
            {
                // Some sizes are not valid for an operator (a pool needs a grid); the others still define the form.
            }
        }
        int[] terms = shape.IsReduction ? [0, 1, 2, 3, 4, 5] : [0, 1, 3];
        if (points.Count < terms.Length)
            throw new InputException($"{shape.Key.Name} {shape.Sizes}: cannot count its {what} at enough token counts to fit a cost model");
        // Scale n and k to about 1 so that the normal equations stay well conditioned.
        const double scale = 64;
        var design = Matrix<double>.Build.Dense(points.Count, terms.Length,
            (i, j) => QuadraticForm.Monomials(points[i].N / scale, points[i].K / scale)[terms[j]]);
        var target = Vector<double>.Build.Dense(points.Count, i => points[i].Value);
        var solution = design.QR().Solve(target);
        var coefficients = new double[QuadraticForm.Terms];
        double[] unscale = [1, 1 / scale, 1 / scale, 1 / (scale * scale), 1 / (scale * scale), 1 / (scale * scale)];
        // A dense operator's form reads n only (its k equals n), so the surrogate's gradient flows through n.
        for (int j = 0; j < terms.Length; j++) coefficients[terms[j]] = solution[j] * unscale[terms[j]];
        return new QuadraticForm(coefficients);
    }

    private static IEnumerable<(int N, int K)> SamplePoints(bool reduction)
    {
        int[] ns = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32, 48, 64, 97, 128, 256];
        foreach (var n in ns)
        {
            if (!reduction)
            {
                yield return (n, n);
                continue;
            }
            foreach (var k in new[] { 1, n / 4, n / 2, 3 * n / 4, n }.Where(k => k >= 1).Distinct())
                yield return (n, k);
        }
    }
}
