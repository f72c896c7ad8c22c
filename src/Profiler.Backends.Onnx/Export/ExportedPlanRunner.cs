using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Profiler.Backends.Onnx.Runtime;
using Profiler.Measurement.Backends;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;

namespace Profiler.Backends.Onnx.Export;

/// <summary>
/// The task's model under a plan as the measurement engine times it on ONNX Runtime: the export of
/// <see cref="ModelExport.Build(VqaModel, ReductionPlan, int)"/> at batch 1 in one session of the backend's options
/// (its threads and thread pool), inputs and output bound once, and a fresh test question written into the bound
/// inputs before each burst, as the torch runner of the same plan draws one. No tensor library runs between bursts:
/// the question is rendered into the input buffers directly.
/// </summary>
public sealed class ExportedPlanRunner : ICaseRunner
{
    private readonly InferenceSession session;
    private readonly OrtIoBinding binding;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue patches, words, logits;
    private readonly bool synchronize;
    private readonly int seed;
    private long next;

    /// <summary>
    /// Exports <paramref name="model"/> under <paramref name="plan"/> and opens it on <paramref name="backend"/>'s
    /// device; <paramref name="flops"/> and <paramref name="bytes"/> are the forward's, as the torch runner reports them.
    /// </summary>
    public ExportedPlanRunner(OnnxBackend backend, VqaModel model, ReductionPlan plan, int seed, double flops, double bytes)
    {
        this.seed = seed;
        Flops = flops;
        Bytes = bytes;
        synchronize = backend.NeedsSynchronize;
        var onnx = ModelExport.Build(model, plan, batch: 1);
        using (var options = backend.CreateOptions())
            session = new InferenceSession(onnx.ToBytes(), options);
        var allocator = OrtAllocator.DefaultInstance;
        patches = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, [1, Renderer.Patches, Renderer.PatchValues]);
        words = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Int64, [1, Vocabulary.QuestionLength]);
        logits = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, [1, Vocabulary.Answers.Count]);
        binding = session.CreateIoBinding();
        binding.BindInput(ModelExport.PatchesInput, patches);
        binding.BindInput(ModelExport.WordsInput, words);
        binding.BindOutput(ModelExport.LogitsOutput, logits);
        RefreshInputs();
    }

    /// <inheritdoc />
    public double Flops { get; }

    /// <inheritdoc />
    public double Bytes { get; }

    /// <summary>The logits of the last run (tests compare them with TorchSharp's).</summary>
    internal ReadOnlySpan<float> Logits => logits.GetTensorDataAsSpan<float>();

    /// <inheritdoc />
    public void RefreshInputs()
    {
        var sample = SampleGenerator.Generate(Split.Test, seed, next++);
        Renderer.Patchify(sample.Scene, patches.GetTensorMutableDataAsSpan<float>());
        var target = words.GetTensorMutableDataAsSpan<long>();
        target.Clear();
        var ids = sample.Question.Words();
        for (int i = 0; i < ids.Length; i++) target[i] = ids[i];
    }

    /// <inheritdoc />
    public void Invoke() => session.RunWithBinding(runOptions, binding);

    /// <inheritdoc />
    public void Synchronize()
    {
        if (synchronize) binding.SynchronizeBoundOutputs();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        binding.Dispose();
        session.Dispose();
        patches.Dispose();
        words.Dispose();
        logits.Dispose();
        runOptions.Dispose();
    }
}
