using Profiler.Core;
using Profiler.CostModel.Features;

namespace Profiler.CostModel.Models;

/// <summary>
/// A fitted cost model of one operator: latency = linear(x) · exp(trees(x)) microseconds. The linear regressors have
/// no trees; the tree regressors learn the log-ratio of the latency to a roofline trend (the linear part), so that
/// the trend carries the growth (and extrapolation) and the trees carry the steps.
/// </summary>
public sealed record OperatorCostModel
{
    /// <summary>The regressor that produced it ("fasttree", "lightgbm", "linear", "flops", "trend").</summary>
    public required string Regressor { get; init; }

    /// <summary>The linear part (the whole model for the linear regressors).</summary>
    public required LinearCost Linear { get; init; }

    /// <summary>The tree ensemble on the log-ratio, or null.</summary>
    public TreeEnsemble? Trees { get; init; }

    /// <summary>Predicted microseconds, trees evaluated hard (as the fitted model does).</summary>
    public double PredictUs(OperatorCase c) =>
        Linear.EvaluateUs(c) * (Trees is null ? 1 : Math.Exp(Trees.Evaluate(SizeFeatures.Values(c))));

    /// <summary>Predicted microseconds, trees evaluated soft at the ensemble's temperature (what the surrogate computes).</summary>
    public double PredictSoftUs(OperatorCase c) => PredictSoftUs(CaseShape.Of(c), c.TokensIn, c.TokensOut);

    /// <summary>Soft prediction at fractional token counts of a shape (for non-reductions pass k = n).</summary>
    public double PredictSoftUs(CaseShape shape, double tokensIn, double tokensOut)
    {
        double linear = Linear.ToQuadratic(shape).Evaluate(tokensIn, tokensOut);
        if (Trees is null) return linear;
        return linear * Math.Exp(SoftStepTable.For(Trees, Linear, shape).Evaluate(tokensIn, tokensOut, Trees.Temperature));
    }
}
