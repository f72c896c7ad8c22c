using Microsoft.ML.OnnxRuntime;
using Profiler.Backends.Onnx;
using Profiler.Backends.Onnx.Graphs;
using Profiler.Backends.Onnx.Runtime;
using Profiler.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Tests.Onnx;

/// <summary>
/// Every ONNX operator graph, run on ONNX Runtime's CPU provider, against the TorchSharp module it mirrors with the
/// same weights and inputs: float32 outputs agree within 1e-4 relative to the output's largest magnitude.
/// </summary>
public sealed class OnnxParityTests
{
    private const double Tolerance = 1e-4;
    private const int Hidden = 32, Heads = 4, MlpSize = 96;

    public static TheoryData<OperatorKind, int, int, int> Cases()
    {
        var data = new TheoryData<OperatorKind, int, int, int>();
        foreach (var op in new[] { OperatorKind.Attention, OperatorKind.Mlp, OperatorKind.LayerNorm, OperatorKind.Block })
        {
            data.Add(op, 1, 7, 11);
            data.Add(op, 2, 33, 12);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_graph_matches_torch_module(OperatorKind op, int batch, int tokens, int seed)
    {
        var sampler = new WeightSampler(seed);
        var (model, module) = op switch
        {
            OperatorKind.Attention => Pair(sampler.Attention(Hidden, Heads), w => CaseModels.Attention(Hidden, w), TorchReference.Attention),
            OperatorKind.Mlp => Pair(sampler.Mlp(Hidden, MlpSize), w => CaseModels.Mlp(Hidden, w), TorchReference.Mlp),
            OperatorKind.LayerNorm => Pair(sampler.Norm(Hidden), w => CaseModels.LayerNorm(Hidden, w), TorchReference.LayerNorm),
            _ => Pair(sampler.Block(Hidden, Heads, MlpSize), w => CaseModels.Block(Hidden, w), TorchReference.Block),
        };
        long[] shape = [batch, tokens, Hidden];
        var input = new WeightSampler(seed + 1000).Normal(batch * tokens * Hidden);

        using var session = new InferenceSession(model.ToBytes());
        using var x = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(new RunOptions(), [CaseModels.InputName], [x], session.OutputNames);
        var actual = outputs[0].GetTensorDataAsSpan<float>();
        var expected = TorchReference.Run(module, input, shape);
        module.Dispose();

        Assert.Equal(shape, outputs[0].GetTensorTypeAndShape().Shape);
        double error = TorchReference.RelativeError(actual, expected);
        Assert.True(error <= Tolerance, $"{op} b={batch} n={tokens} seed={seed}: relative error {error:E2} > {Tolerance:E0}");
    }

    [Fact]
    public void Attention_with_weights_also_hands_over_the_probabilities()
    {
        const int batch = 2, tokens = 9, seed = 4;
        var w = new WeightSampler(seed).Attention(Hidden, Heads);
        long[] shape = [batch, tokens, Hidden];
        var input = new WeightSampler(seed + 1).Normal(batch * tokens * Hidden);
        using var session = new InferenceSession(CaseModels.AttentionWithWeights(Hidden, Heads, w).ToBytes());
        using var x = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = session.Run(new RunOptions(), [CaseModels.InputName], [x], session.OutputNames);

        using var module = TorchReference.Attention(w);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        var expected = module.Forward(tensor(input, shape), needWeights: true);
        Assert.Equal([batch, Heads, tokens, tokens], outputs[1].GetTensorTypeAndShape().Shape);
        Assert.True(TorchReference.RelativeError(outputs[0].GetTensorDataAsSpan<float>(), expected.Output.data<float>().ToArray()) <= Tolerance);
        Assert.True(TorchReference.RelativeError(outputs[1].GetTensorDataAsSpan<float>(), expected.Weights!.contiguous().data<float>().ToArray()) <= Tolerance);
    }

    [Theory]
    [InlineData(OperatorKind.Attention)]
    [InlineData(OperatorKind.Block)]
    public void Backend_runner_computes_the_operator_on_its_fresh_inputs(OperatorKind op)
    {
        const int seed = 5, batch = 1, tokens = 19;
        var c = new OperatorCase(op, tokens, tokens, Hidden, Heads, MlpSize, batch, "float32");
        using var backend = new OnnxBackend("cpu", 1);
        using var runner = (OnnxCaseRunner)backend.Prepare(c, seed);
        var sampler = new WeightSampler(seed);
        using nn.Module<Tensor, Tensor> module = op == OperatorKind.Attention
            ? TorchReference.Attention(sampler.Attention(Hidden, Heads))
            : TorchReference.Block(sampler.Block(Hidden, Heads, MlpSize));
        long[] shape = [batch, tokens, Hidden];

        var first = runner.Inputs[0].GetTensorDataAsSpan<float>().ToArray();
        runner.RefreshInputs();
        var second = runner.Inputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.NotEqual(first, second);
        Assert.InRange(second.Average(v => (double)v * v), 0.5, 1.5);

        runner.Invoke();
        runner.Synchronize();
        double error = TorchReference.RelativeError(runner.Outputs[0].GetTensorDataAsSpan<float>(), TorchReference.Run(module, second, shape));
        Assert.True(error <= Tolerance, $"{op} through the runner: relative error {error:E2}");
        Assert.Equal(Profiler.Operators.OperatorCosts.Flops(c), runner.Flops);
    }

    [Fact]
    public void Ceiling_runners_multiply_and_copy()
    {
        using var backend = new OnnxBackend("cpu", 1);
        using (var matmul = (OnnxCaseRunner)backend.PrepareMatmul(16, 3))
        {
            matmul.Invoke();
            var b = new WeightSampler(3).Normal(16 * 16);
            using var reference = torch.matmul(tensor(matmul.Inputs[0].GetTensorDataAsSpan<float>().ToArray(), [16, 16]), tensor(b, [16, 16]));
            double error = TorchReference.RelativeError(matmul.Outputs[0].GetTensorDataAsSpan<float>(), reference.data<float>().ToArray());
            Assert.True(error <= Tolerance, $"matmul relative error {error:E2}");
            Assert.Equal(2.0 * 16 * 16 * 16, matmul.Flops);
        }
        using var copy = (OnnxCaseRunner)backend.PrepareCopy(4096, 3);
        copy.Invoke();
        Assert.Equal(copy.Inputs[0].GetTensorDataAsSpan<float>().ToArray(), copy.Outputs[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal(2.0 * 4096, copy.Bytes);
    }

    [Fact]
    public void Cases_that_differ_only_in_tokens_share_one_model()
    {
        var a = new OperatorCase(OperatorKind.Mlp, 16, 16, Hidden, Heads, MlpSize, 1, "float32");
        Assert.Equal(CaseModels.ModelKey(a, 1), CaseModels.ModelKey(a with { TokensIn = 64, TokensOut = 64, Batch = 4 }, 1));
        Assert.NotEqual(CaseModels.ModelKey(a, 1), CaseModels.ModelKey(a, 2));
        Assert.NotEqual(CaseModels.ModelKey(a, 1), CaseModels.ModelKey(a with { Hidden = 64 }, 1));
    }

    private static (OnnxModel, nn.Module<Tensor, Tensor>) Pair<T>(T weights, Func<T, OnnxModel> onnx, Func<T, nn.Module<Tensor, Tensor>> torchModule) =>
        (onnx(weights), torchModule(weights));
}
