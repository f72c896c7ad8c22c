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

    /// <summary>Runs <see cref="WorkloadKind.Plan"/> cases as the model's forward under plan i; everything else comes from the inner backend.</summary>
    private sealed class Backend(IBackend inner, VqaModel model, IReadOnlyList<ReductionPlan> plans) : IBackend
    {
        public string Name => inner.Name;

        public string Device => inner.Device;

        public IReadOnlyList<OperatorKind> SupportedOperators { get; } = [OperatorKind.Block];

        public static OperatorCase CaseOf(ModelShape shape, int plan)
        {
            return new ModelWorkload(WorkloadKind.Plan, plan).Case(shape, VqaModel.InputLayout.Count, 1);
        }

        public BackendDescription Describe() => inner.Describe();

        public ICaseRunner Prepare(OperatorCase c, int seed)
        {
            int index = ModelWorkload.Of(c, WorkloadKind.Plan).Index;
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

    private sealed class Runner : ForwardRunner<Batch>
    {
        private readonly VqaModel model;
        private readonly FixedReduction?[] reductions;
        private readonly int seed;
        private long next;

        public Runner(VqaModel model, ReductionPlan plan, Device device, int seed) : base(device)
        {
            this.model = model;
            this.seed = seed;
            model.to(device);
            model.eval();
            reductions = FixedReduction.ForPlan(plan, model.Shape.Layers, seed);
            Flops = FlopsOf(model, plan);
            Bytes = BytesOf(model);
            DrawFirst();
        }

        public override double Flops { get; }

        public override double Bytes { get; }

        public static double FlopsOf(VqaModel model, ReductionPlan plan) => new FlopsCost(Preset.Tiny with { Shape = model.Shape }).Of(plan) * 1e9;

        public static double BytesOf(VqaModel model) => 4.0 * model.parameters().Sum(p => p.numel());

        protected override Batch Draw() => Batch.From(SampleGenerator.Generate(Split.Test, seed, next++, 1), Device);

        protected override void Forward(Batch current) => model.Forward(current.Patches, current.Words, reductions);

        protected override void Release()
        {
            foreach (var r in reductions) r?.Dispose();
        }
    }
}
