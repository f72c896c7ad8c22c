using System.Globalization;
using Profiler.Backends.Onnx;
using Profiler.Backends.Onnx.Export;
using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Forward;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Measures the task model's end-to-end forward (batch 1, real test questions, a fresh one before each burst) under
/// several plans with the profiler's engine, interleaved in one run so that drift hits every plan alike: the same
/// statistics rules as a profile. The measured latency is a plan's result; the prediction only stands beside it.
/// On <see cref="BackendFactory.Onnx"/> each plan runs as its ONNX export (<see cref="ExportedPlanRunner"/>), on TorchSharp as the
/// model itself.
/// </summary>
public static class PlanLatency
{
    /// <summary>One measurement per plan, in the order given, on <paramref name="backend"/> (torch or onnx).</summary>
    public static IReadOnlyList<ModelMeasurement> Measure(VqaModel model, IReadOnlyList<ReductionPlan> plans, string device, int threads,
        EngineSettings? settings = null, Action<EngineProgress>? progress = null, string backend = BackendFactory.Torch)
    {
        using var host = new Backend(BackendFactory.Open(backend, device, threads), model, plans);
        var cases = plans.Select((_, i) => Backend.CaseOf(model.Shape, i)).ToList();
        return ModelForwardMeasurement.Measure(host, cases, settings, progress);
    }

    /// <summary>The fingerprint this machine gives plans measured on <paramref name="backend"/>, <paramref name="device"/> and <paramref name="threads"/>.</summary>
    public static Fingerprint Fingerprint(string backend, string device, int threads)
    {
        using var host = BackendFactory.Open(backend, device, threads);
        return ModelForwardMeasurement.Current(host);
    }

    /// <summary>Runs "plan=i" block cases as the model's forward under plan i; everything else comes from the inner backend.</summary>
    private sealed class Backend(IBackend inner, VqaModel model, IReadOnlyList<ReductionPlan> plans) : IBackend
    {
        private const string Prefix = "plan=";

        public string Name => inner.Name;

        public string Device => inner.Device;

        public IReadOnlyList<OperatorKind> SupportedOperators { get; } = [OperatorKind.Block];

        public static OperatorCase CaseOf(ModelShape shape, int plan)
        {
            int tokens = VqaModel.InputLayout.Count;
            return new(OperatorKind.Block, tokens, tokens, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32",
                Prefix + plan.ToString(CultureInfo.InvariantCulture));
        }

        public BackendDescription Describe() => inner.Describe();

        public ICaseRunner Prepare(OperatorCase c, int seed)
        {
            int index = int.Parse(c.Variant[Prefix.Length..], CultureInfo.InvariantCulture);
            if (inner is OnnxBackend onnx)
                return new ExportedPlanRunner(onnx, model, plans[index], seed, Runner.FlopsOf(model, plans[index]), Runner.BytesOf(model));
            var target = torch.device(inner.Device == "cuda" ? "cuda:0" : inner.Device);
            return new Runner(model, plans[index], target, seed);
        }

        public ICaseRunner PrepareMatmul(int size, int seed) => inner.PrepareMatmul(size, seed);

        public ICaseRunner PrepareCopy(long bytes, int seed) => inner.PrepareCopy(bytes, seed);

        public ICaseRunner PrepareAdd(long elements, int seed) => inner.PrepareAdd(elements, seed);

        public string DescribeAdd(long elements) => inner.DescribeAdd(elements);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Runner : ICaseRunner
    {
        private readonly VqaModel model;
        private readonly FixedReduction?[] reductions;
        private readonly Device device;
        private readonly int seed;
        private long next;
        private Batch input;

        public Runner(VqaModel model, ReductionPlan plan, Device device, int seed)
        {
            this.model = model;
            this.device = device;
            this.seed = seed;
            model.to(device);
            model.eval();
            reductions = FixedReduction.ForPlan(plan, model.Shape.Layers, seed);
            Flops = FlopsOf(model, plan);
            Bytes = BytesOf(model);
            input = Draw();
        }

        public double Flops { get; }

        public double Bytes { get; }

        public static double FlopsOf(VqaModel model, ReductionPlan plan) => new FlopsCost(Preset.Tiny with { Shape = model.Shape }).Of(plan) * 1e9;

        public static double BytesOf(VqaModel model) => 4.0 * model.parameters().Sum(p => p.numel());

        public void RefreshInputs()
        {
            var old = input;
            input = Draw();
            old.Dispose();
        }

        public void Invoke()
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            model.Forward(input.Patches, input.Words, reductions);
        }

        public void Synchronize()
        {
            if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        }

        public void Dispose()
        {
            input.Dispose();
            foreach (var r in reductions) r?.Dispose();
        }

        private Batch Draw() => Batch.From(SampleGenerator.Generate(Split.Test, seed, next++, 1), device);
    }
}
