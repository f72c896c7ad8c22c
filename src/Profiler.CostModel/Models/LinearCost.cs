using Profiler.Core;
using Profiler.CostModel.Features;

namespace Profiler.CostModel.Models;

/// <summary>
/// A linear cost model over <see cref="CostFeatures"/>: latency = bias + Σ weight·feature, in microseconds. The FLOPs
/// baseline, the roofline trend and the ML.NET linear model are all of this form; for a fixed shape it is a
/// <see cref="QuadraticForm"/> in the token counts.
/// </summary>
public sealed record LinearCost
{
    /// <summary>Constant term in microseconds.</summary>
    public required double BiasUs { get; init; }

    /// <summary>Microseconds per unit of each feature, by <see cref="CostFeatures.Names"/>; absent features weigh 0.</summary>
    public required IReadOnlyDictionary<string, double> Weights { get; init; }

    /// <summary>Creates a model from weights in <see cref="CostFeatures.Names"/> order.</summary>
    public static LinearCost From(double biasUs, IReadOnlyList<double> weights)
    {
        var map = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < weights.Count; i++)
        {
            if (weights[i] != 0) map[CostFeatures.Names[i]] = weights[i];
        }
        return new LinearCost { BiasUs = biasUs, Weights = map };
    }

    /// <summary>The model as a polynomial in the token counts for one shape.</summary>
    public QuadraticForm ToQuadratic(CaseShape shape)
    {
        var forms = CostFeatures.Forms(shape);
        var total = QuadraticForm.Constant(BiasUs);
        for (int i = 0; i < forms.Count; i++)
        {
            if (Weights.TryGetValue(CostFeatures.Names[i], out var w)) total += w * forms[i];
        }
        return total;
    }

    /// <summary>Predicted microseconds for a case.</summary>
    public double EvaluateUs(OperatorCase c)
    {
        var values = CostFeatures.Values(c);
        double sum = BiasUs;
        for (int i = 0; i < values.Length; i++)
        {
            if (Weights.TryGetValue(CostFeatures.Names[i], out var w)) sum += w * values[i];
        }
        return sum;
    }
}
