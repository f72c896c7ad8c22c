using Profiler.Backends.Onnx;
using Profiler.Backends.Onnx.Export;
using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Operators.Plans;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tests.Search;
using static TorchSharp.torch;

namespace Profiler.Tests.Onnx;

/// <summary>
/// A plan timed on ONNX Runtime runs the plan's export on the test questions the torch runner draws, one per burst,
/// and the search's plan measurement runs on either backend.
/// </summary>
public sealed class ExportedPlanRunnerTests
{
    [ShippedCheckpointFact]
    public void Each_burst_runs_the_next_test_question_as_torch_answers_it()
    {
        int seed = Random.Shared.Next(1000);
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        model.eval();
        using var backend = new OnnxBackend("cpu", 1);
        using var runner = new ExportedPlanRunner(backend, model, ReductionPlan.None, seed, flops: 1, bytes: 1);
        var reductions = FixedReduction.ForPlan(ReductionPlan.None, model.Shape.Layers);
        for (int question = 0; question < 3; question++)
        {
            if (question > 0) runner.RefreshInputs();
            runner.Invoke();
            runner.Synchronize();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var batch = Batch.From(SampleGenerator.Generate(Split.Test, seed, question, 1));
            var expected = model.Forward(batch.Patches, batch.Words, reductions).data<float>().ToArray();
            var actual = runner.Logits.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(largest <= ParityReport.Tolerance, $"seed {seed}, question {question}: largest logit difference {largest:E2}");
        }
    }

    [ShippedCheckpointFact]
    public void Plans_measure_on_onnx_runtime_with_its_fingerprint()
    {
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        var layout = VqaModel.InputLayout;
        var plan = new ReductionPlan([new PlanStep(Random.Shared.Next(model.Shape.Layers), layout.ProtectedCount + Random.Shared.Next(1, layout.Reducible), OperatorKind.Pool)]);
        var measured = PlanLatency.Measure(model, [ReductionPlan.None, plan], "cpu", 1, new EngineSettings().WithExactRounds(3), backend: BackendFactory.Onnx);
        Assert.Equal(2, measured.Count);
        Assert.All(measured, m =>
        {
            Assert.Equal(BackendFactory.Onnx, m.Fingerprint.Backend);
            Assert.True(m.Latency.Value.Milliseconds is > 0 and < 1000, $"{m.Latency.Value.Milliseconds} ms");
            Assert.Equal(3, m.Bursts.Count);
        });
        Assert.True(double.IsFinite(measured[1].ShareOf(measured[0]).Median));
    }

    [Fact]
    public void An_unknown_backend_is_bad_input()
    {
        var e = Assert.Throws<InputException>(() => BackendFactory.Open("tensorflow", "cpu", 1));
        Assert.Contains("tensorflow", e.Message);
    }
}
