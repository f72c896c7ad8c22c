using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Tasks.Network;

namespace Profiler.Backends.Onnx.Export;

/// <summary>
/// The <c>export</c> entry point: the task's model under a plan, written as one ONNX file, and optionally its answers
/// compared with TorchSharp's on test questions (<see cref="ExportParity"/>).
/// </summary>
/// <param name="Out">The ONNX file to write.</param>
/// <param name="Plan">Plan file; null: no reduction.</param>
/// <param name="Checkpoint">Checkpoint; null: the shipped tiny model.</param>
/// <param name="Batch">Questions per run the model is built for.</param>
/// <param name="CheckQuestions">Test questions to compare on; null: no check.</param>
/// <param name="Seed">Seed of those questions.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="Force">Replace <paramref name="Out"/> if it exists.</param>
public sealed record ExportJob(string Out, string? Plan = null, string? Checkpoint = null, int Batch = 1, int? CheckQuestions = null,
    int Seed = 0, int? Threads = null, bool Force = false)
{
    /// <summary>Test questions a check runs when given no number.</summary>
    public const int DefaultCheckQuestions = 500;

    /// <summary>Checks the job, writes the file atomically and runs the check; <paramref name="progress"/> hears the questions checked.</summary>
    public ExportOutcome Run(Action<int>? progress = null)
    {
        int threads = InputCheck.Threads(Threads ?? Environment.ProcessorCount);
        if (Batch < 1 || Batch > ModelExport.MaxBatch) throw new InputException($"--batch must be in 1..{ModelExport.MaxBatch}, got {Batch}");
        if (Directory.Exists(Out)) throw new InputException($"--out {Out} is a folder; give the model a file name such as {Path.Combine(Out, "model.onnx")}");
        if (File.Exists(Out) && !Force) throw new InputException(AtomicFile.ExistsMessage(Out));
        TorchSharp.torch.set_num_threads(threads);
        var plan = Plan is null ? ReductionPlan.None : ReductionPlan.Read(Plan);
        var checkpoint = Checkpoint ?? Tasks.Network.Checkpoint.ShippedPath;
        var (model, _) = Tasks.Network.Checkpoint.Load(checkpoint);
        using var _model = model;
        var onnx = ModelExport.Build(model, plan, Batch);
        var bytes = onnx.ToBytes();
        AtomicFile.Write(Out, bytes, overwrite: Force);
        var parity = CheckQuestions is { } count ? ExportParity.Check(model, plan, Out, count, Seed, threads, progress) : null;
        return new ExportOutcome(Out, bytes.Length, checkpoint, plan, Batch, onnx, parity);
    }
}

/// <summary>What an export wrote and, with a check, how its answers compare with TorchSharp's.</summary>
/// <param name="Path">The ONNX file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Checkpoint">The checkpoint exported.</param>
/// <param name="Plan">The plan it runs.</param>
/// <param name="Batch">Questions per run.</param>
/// <param name="Model">The graph written.</param>
/// <param name="Parity">The comparison with TorchSharp; null without a check.</param>
public sealed record ExportOutcome(string Path, long Bytes, string Checkpoint, ReductionPlan Plan, int Batch, OnnxModel Model, ParityReport? Parity)
{
    /// <summary>Nodes in the graph.</summary>
    public int Nodes => Model.Nodes.Count;
}
