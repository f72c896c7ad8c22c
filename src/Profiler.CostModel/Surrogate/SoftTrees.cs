using Profiler.CostModel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// A tree ensemble with softened splits at one shape, as a TorchSharp module: the <see cref="SoftStepTable"/>
/// T(n, k) = Σᵢⱼ Dᵢⱼ·σᵢ(n)·σⱼ(k) with σ₀ = 1 and σᵢ(x) = σ((x − centerᵢ)/scaleᵢ) (with k/n in place of k for
/// trees that read the retention ratio). A handful of tensor
/// operations over a few dozen sigmoids, whatever the number of trees: the search evaluates it at every step.
/// </summary>
public sealed class SoftTrees : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Tensor slopesIn;
    private readonly Tensor offsetsIn;
    private readonly Tensor slopesOut;
    private readonly Tensor offsetsOut;
    private readonly Tensor stepsIn;
    private readonly Tensor steps;
    private readonly double baseValue;
    private readonly bool usesTokensOut;
    private readonly bool outIsRatio;

    /// <summary>Builds the module for <paramref name="ensemble"/> (at its temperature, over <paramref name="trend"/>) at <paramref name="shape"/>.</summary>
    public SoftTrees(TreeEnsemble ensemble, LinearCost trend, CaseShape shape) : base(nameof(SoftTrees))
    {
        var table = SoftStepTable.For(ensemble, trend, shape);
        var scalesIn = table.ScalesIn(ensemble.Temperature);
        var scalesOut = table.ScalesOut(ensemble.Temperature);
        int rows = table.Steps.GetLength(0), columns = table.Steps.GetLength(1);
        usesTokensOut = columns > 1;
        outIsRatio = table.OutIsRatio;
        baseValue = table.Steps[0, 0];
        // σ((x − c)/s) = σ(x·(1/s) − c/s): one multiply-add per point and threshold.
        slopesIn = tensor(scalesIn.Select(s => 1 / s).ToArray(), dtype: float64).unsqueeze(0);
        offsetsIn = tensor(table.CentersIn.Select((c, i) => -c / scalesIn[i]).ToArray(), dtype: float64).unsqueeze(0);
        slopesOut = tensor(scalesOut.Select(s => 1 / s).ToArray(), dtype: float64).unsqueeze(0);
        offsetsOut = tensor(table.CentersOut.Select((c, i) => -c / scalesOut[i]).ToArray(), dtype: float64).unsqueeze(0);
        // The first column without its base value: the heights of the steps in n alone.
        stepsIn = tensor(Enumerable.Range(1, rows - 1).Select(i => table.Steps[i, 0]).ToArray(), dtype: float64);
        var all = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++) all[i * columns + j] = i == 0 && j == 0 ? 0 : table.Steps[i, j];
        }
        steps = tensor(all, dtype: float64).view(rows, columns);
        Thresholds = rows - 1 + columns - 1;
        foreach (var (name, buffer) in new[] { ("slopes_in", slopesIn), ("offsets_in", offsetsIn), ("slopes_out", slopesOut), ("offsets_out", offsetsOut), ("steps_in", stepsIn), ("steps", steps) })
            register_buffer(name, buffer);
    }

    /// <summary>Distinct split thresholds (sigmoids) over both token counts.</summary>
    public int Thresholds { get; }

    /// <summary>The soft output at tokens in <paramref name="tokensIn"/> and out <paramref name="tokensOut"/> (float64, length P).</summary>
    public override Tensor forward(Tensor tokensIn, Tensor tokensOut)
    {
        var sIn = addcmul(offsetsIn, tokensIn.unsqueeze(1), slopesIn, 1).sigmoid();
        if (!usesTokensOut) return sIn.matmul(stepsIn) + baseValue;
        var second = outIsRatio ? tokensOut / tokensIn : tokensOut;
        var sOut = addcmul(offsetsOut, second.unsqueeze(1), slopesOut, 1).sigmoid();
        var ones = torch.ones(tokensIn.shape[0], 1, dtype: float64, device: tokensIn.device);
        // Rows [1, σ(n)] times the step table times columns [1, σ(k)], point by point.
        var left = cat([ones, sIn], 1).matmul(steps);
        return (left * cat([ones, sOut], 1)).sum(dim: 1) + baseValue;
    }
}
