using System.Globalization;
using Profiler.Core;
using Profiler.CostModel.ModelLevel;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;
using Profiler.Measurement.Engine;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Measures the task model's end-to-end forward (batch 1, real test questions, a fresh one before each burst) under
/// several plans with the profiler's engine, interleaved in one run so that drift hits every plan alike: the same
/// statistics rules as a profile. The measured latency is a plan's result; the prediction only stands beside it.
/// </summary>
public static class PlanLatency
{
    /// <summary>One measurement per plan, in the order given.</summary>
    public static IReadOnlyList<ModelMeasurement> Measure(VqaModel model, IReadOnlyList<ReductionPlan> plans, string device, int threads,
        EngineSettings? settings = null, Action<EngineProgress>? progress = null)
    {
        using var backend = new Backend(new TorchBackend(device, threads), model, plans);
        var cases = plans.Select((_, i) => Backend.CaseOf(model.Shape, i)).ToList();
        return ModelForwardMeasurement.Measure(backend, cases, settings, progress);
    }

    /// <summary>Runs "plan=i" block cases as the model's forward under plan i; everything else comes from the torch backend.</summary>
    private sealed class Backend(IBackend torchBackend, VqaModel model, IReadOnlyList<ReductionPlan> plans) : IBackend
    {
        private const string Prefix = "plan=";

        public string Name => torchBackend.Name;

        public string Device => torchBackend.Device;

        public IReadOnlyList<OperatorKind> SupportedOperators { get; } = [OperatorKind.Block];

        public static OperatorCase CaseOf(ModelShape shape, int plan)
        {
            int tokens = VqaModel.InputLayout.Count;
            return new(OperatorKind.Block, tokens, tokens, shape.Hidden, shape.Heads, shape.MlpSize, 1, "float32",
                Prefix + plan.ToString(CultureInfo.InvariantCulture));
        }

        public BackendDescription Describe() => torchBackend.Describe();

        public ICaseRunner Prepare(OperatorCase c, int seed)
        {
            int index = int.Parse(c.Variant[Prefix.Length..], CultureInfo.InvariantCulture);
            var target = torch.device(torchBackend.Device == "cuda" ? "cuda:0" : torchBackend.Device);
            return new Runner(model, plans[index], target, seed);
        }

        public ICaseRunner PrepareMatmul(int size, int seed) => torchBackend.PrepareMatmul(size, seed);

        public ICaseRunner PrepareCopy(long bytes, int seed) => torchBackend.PrepareCopy(bytes, seed);

        public ICaseRunner PrepareAdd(long elements, int seed) => torchBackend.PrepareAdd(elements, seed);

        public void Dispose() => torchBackend.Dispose();
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
            Flops = new FlopsCost(Preset.Tiny with { Shape = model.Shape }).Of(plan) * 1e9;
            Bytes = 4.0 * model.parameters().Sum(p => p.numel());
            input = Draw();
        }

        public double Flops { get; }

        public double Bytes { get; }

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
