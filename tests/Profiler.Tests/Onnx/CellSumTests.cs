using Microsoft.ML.OnnxRuntime;
using Profiler.Backends.Onnx.Graphs;

namespace Profiler.Tests.Onnx;

/// <summary>
/// Sums into cells on ONNX Runtime with two threads: every run equals the sum in double precision (to float rounding)
/// and every run the same. ScatterND with reduction "add" failed this: its CPU kernel races on repeated cells.
/// </summary>
public sealed class CellSumTests
{
    [Theory]
    [InlineData(16, 144, 40, 128)]
    [InlineData(2, 576, 288, 512)]
    public void Cell_sums_are_exact_and_the_same_every_run(int batch, int rows, int keep, int width)
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var cell = Enumerable.Range(0, batch * rows).Select(_ => (long)rng.Next(keep)).ToArray();
        var values = new WeightSampler(seed).Normal((long)batch * rows * width);
        var g = new GraphBuilder("cell_sums");
        var cells = new CellGraphs(g, batch);
        var x = g.Input("x", OnnxDim.Fixed(batch), OnnxDim.Fixed(rows), OnnxDim.Fixed(width));
        g.Output(cells.SumRows(x, g.Int64Tensor("cell", cell, batch, rows), keep), OnnxDim.Fixed(batch), OnnxDim.Fixed(keep), OnnxDim.Fixed(width));
        var expected = new double[batch * keep * width];
        for (int b = 0; b < batch; b++)
        {
            for (int r = 0; r < rows; r++)
            {
                long target = (b * keep + cell[b * rows + r]) * width, source = ((long)b * rows + r) * width;
                for (int c = 0; c < width; c++) expected[target + c] += values[source + c];
            }
        }
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(g.Build().ToBytes(), options);
        float[]? first = null;
        for (int run = 0; run < 10; run++)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(values, [batch, rows, width]);
            using var outputs = session.Run(new RunOptions(), ["x"], [input], session.OutputNames);
            var sums = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            double worst = sums.Select((v, i) => Math.Abs(v - expected[i])).Max();
            Assert.True(worst < 1e-4, $"seed {seed}, run {run}: a sum is {worst:E2} off");
            if (first is null) first = sums;
            else Assert.True(sums.AsSpan().SequenceEqual(first), $"seed {seed}, run {run}: other sums than the first run's");
        }
    }
}
