using Microsoft.ML.OnnxRuntime;
using Profiler.Backends.Onnx;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using Profiler.Operators.Reduction;
using static TorchSharp.torch;

namespace Profiler.Tests.Onnx;

/// <summary>
/// Every score and reduction graph (published operators and aligned anchors) on ONNX Runtime's CPU provider against
/// the Profiler.Operators function it mirrors, on the same inputs: every output within 1e-4 relative error.
/// </summary>
public sealed class ReductionParityTests
{
    private const double Tolerance = 1e-4;
    private const int Hidden = 8, Heads = 2;

    public static TheoryData<OperatorKind, string, int, int, int> Cases()
    {
        var data = new TheoryData<OperatorKind, string, int, int, int>();
        foreach (var op in new[] { OperatorKind.Prune, OperatorKind.Reweight, OperatorKind.Pool, OperatorKind.Merge })
        {
            foreach (var variant in new[] { "", "aligned" })
            {
                data.Add(op, variant, 16, 5, 1);
                data.Add(op, variant, 35, 18, 2);
                data.Add(op, variant, 12, 11, 2);
            }
        }
        foreach (var score in new[] { "norm", "cls", "last-text" })
            data.Add(OperatorKind.Score, score, 20, 20, 2);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_graph_matches_the_torch_operator(OperatorKind op, string variant, int tokens, int keep, int batch)
    {
        var c = new OperatorCase(op, tokens, keep, Hidden, Heads, 4 * Hidden, batch, "float32", variant);
        var signature = CaseModels.Signature(c);
        var sampler = new WeightSampler(tokens * 100 + keep);
        var values = signature.Inputs.ToDictionary(i => i.Name, i => i.Distribution == InputDistribution.Normal
            ? sampler.Normal(i.Shape.Aggregate(1L, (a, s) => a * s))
            : sampler.Uniform(i.Shape.Aggregate(1L, (a, s) => a * s), 0.5f).Select(v => v + 0.5f).ToArray());

        using var session = new InferenceSession(CaseModels.Build(c, 1).ToBytes());
        var inputs = signature.Inputs.Select(i => OrtValue.CreateTensorValueFromMemory(values[i.Name], i.Shape)).ToList();
        using var outputs = session.Run(new RunOptions(), signature.Inputs.Select(i => i.Name).ToList(), inputs, session.OutputNames);
        var expected = Reference(c, signature, values);
        Assert.Equal(expected.Count, outputs.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(signature.Outputs[i], outputs[i].GetTensorTypeAndShape().Shape);
            double error = TorchReference.RelativeError(outputs[i].GetTensorDataAsSpan<float>(), expected[i]);
            Assert.True(error <= Tolerance, $"{c.Key} output {i}: relative error {error:E2}");
        }
        foreach (var input in inputs) input.Dispose();
    }

    [Fact]
    public void Backend_runs_a_reduction_case_with_fresh_inputs()
    {
        var c = new OperatorCase(OperatorKind.Merge, 24, 10, Hidden, Heads, 4 * Hidden, 1, "float32");
        using var backend = new OnnxBackend("cpu", 1);
        using var runner = (Profiler.Backends.Onnx.Runtime.OnnxCaseRunner)backend.Prepare(c, 3);
        runner.Invoke();
        var sizes = runner.Outputs[1].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(24f, sizes.Sum(), 3);
        Assert.Equal(Profiler.Operators.OperatorCosts.Flops(c), runner.Flops);
    }

    private static List<float[]> Reference(OperatorCase c, CaseSignature signature, Dictionary<string, float[]> values)
    {
        using var scope = NewDisposeScope();
        Tensor T(string name) => tensor(values[name], signature.Inputs.First(i => i.Name == name).Shape);
        var variant = ReductionVariant.Parse(c.Variant);
        int n = c.TokensIn;
        if (c.Operator == OperatorKind.Score)
        {
            var kind = variant.Score!.Value;
            if (kind == ScoreKind.Norm) return [Floats(TokenScore.Norm(T("x")))];
            var layout = kind == ScoreKind.Cls ? new TokenLayout(1, n - 1, 0) : new TokenLayout(0, n - 1, 1);
            return [Floats(TokenScore.Compute(kind, zeros(c.Batch, n, c.Hidden), T("weights"), layout))];
        }
        var grid = TokenLayout.Vision(GridShape.ForTokenCount(n), prefix: 0);
        double ratio = (double)c.TokensOut / n;
        Tensor? keys = values.ContainsKey("keys") ? T("keys") : null, scores = values.ContainsKey("scores") ? T("scores") : null;
        var x = values.ContainsKey("x") ? T("x") : zeros(c.Batch, n, c.Hidden);
        ReductionInput Input(TokenLayout layout) => ReductionInput.Create(x, layout, keys, scores);
        var plain = new TokenLayout(0, n, 0);
        ReductionResult result = variant.Aligned
            ? AlignedReduction.Apply(c.Operator, Input(grid), ratio)
            : c.Operator switch
            {
                OperatorKind.Prune => Prune.Apply(Input(plain), ratio),
                OperatorKind.Reweight => Reweight.Apply(Input(plain), ratio),
                OperatorKind.Pool => Pool.Apply(Input(grid), ratio),
                _ => Merge.Apply(Input(plain), ratio),
            };
        if (c.Operator == OperatorKind.Reweight && !variant.Aligned) return [Floats(result.Sizes)];
        List<float[]> outputs = [Floats(result.Tokens), Floats(result.Sizes)];
        if (result.Positions is { } positions) outputs.Add(Floats(positions));
        return outputs;
    }

    private static float[] Floats(Tensor t) => t.contiguous().data<float>().ToArray();
}
