using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Engine;
using Profiler.Operators.Plans;
using Profiler.Tasks.Network;

namespace Profiler.Search;

/// <summary>
/// What a search is asked from files: the device's surrogate, the model's checkpoint, one target or a sweep of them,
/// and the request every target shares (its target and <see cref="SearchRequest.Calibrate"/> are set per run).
/// </summary>
public sealed record SearchJob
{
    /// <summary>Surrogate file of the device to search for (<c>fit --out</c>).</summary>
    public required string Surrogate { get; init; }

    /// <summary>Model checkpoint; null: the shipped tiny model.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The budgets, one search each.</summary>
    public IReadOnlyList<SearchTarget> Targets { get; init; } = [new(0.6, null)];

    /// <summary>What every target shares: cost, settings, questions, device, threads, rounds (its backend is <see cref="Backend"/>'s).</summary>
    public SearchRequest Request { get; init; } = new();

    /// <summary>Runtime the plans are measured on (torch or onnx); null: the one the surrogate was profiled on.</summary>
    public string? Backend { get; init; }

    /// <summary>Measure on another device than the surrogate's (cross-device): no calibration, a warning.</summary>
    public bool AllowMismatch { get; init; }

    /// <summary>Use the surrogate as it is, whatever this machine's reference suite says.</summary>
    public bool NoTransfer { get; init; }

    /// <summary>Refuse where this machine's reference suite disagrees with the surrogate's.</summary>
    public bool Strict { get; init; }

    /// <summary>With fine-tuning, where the searched model is written (search.json → search.ckpt; one per target in a sweep); null: not written.</summary>
    public string? FinetunedBeside { get; init; }
}

/// <summary>
/// The search entry point: <see cref="Open"/> checks the job and loads what it names (surrogate, transferred where
/// this machine's reference suite says so; model; costs), then <see cref="Run"/> searches and verifies one target.
/// Predictions are calibrated on measured forwards only on the device the surrogate was fitted for.
/// </summary>
public sealed class SearchSession : IDisposable
{
    private readonly VqaModel model;
    private readonly CheckpointInfo info;
    private readonly SearchJob job;

    private SearchSession(SearchJob job, VqaModel model, CheckpointInfo info, LatencyCost latency, FlopsCost flops, IReadOnlyList<SearchRequest> requests)
    {
        (this.job, this.model, this.info, Latency, Flops, Requests) = (job, model, info, latency, flops, requests);
    }

    /// <summary>The latency cost the searches price plans by.</summary>
    public LatencyCost Latency { get; }

    /// <summary>The FLOPs cost.</summary>
    public FlopsCost Flops { get; }

    /// <summary>One request per target, in the job's order.</summary>
    public IReadOnlyList<SearchRequest> Requests { get; }

    /// <summary>Checks <paramref name="job"/> and loads what it names; <paramref name="say"/> hears the transfer's lines and warnings.</summary>
    public static SearchSession Open(SearchJob job, Action<string>? say = null)
    {
        var request = job.Request;
        if (job.Targets.Count == 0) throw new InputException("a search needs at least one target");
        _ = new EngineSettings().WithExactRounds(request.Rounds); // refuses too few bursts before any work
        InputCheck.Positive(request.Threads, "--threads");
        TorchSharp.torch.set_num_threads(request.Threads);
        var loaded = LatencySurrogate.Load(job.Surrogate);
        var backend = BackendFactory.NameOr(job.Backend, loaded);
        var (model, info) = Tasks.Network.Checkpoint.Load(job.Checkpoint ?? Tasks.Network.Checkpoint.ShippedPath);
        try
        {
            var mismatch = loaded.CheckFingerprint(PlanLatency.Fingerprint(backend, request.Device, request.Threads), "the device the plans are measured on", job.AllowMismatch);
            var transfer = SurrogateTransferChoice.Make(loaded, job.NoTransfer, job.Strict);
            var preset = Preset.Tiny with { Shape = model.Shape };
            var latency = new LatencyCost(transfer.Surrogate, preset, request.Scores);
            foreach (var line in transfer.Lines) say?.Invoke(line);
            if (mismatch is not null) say?.Invoke($"warning: {mismatch}");
            var requests = job.Targets.Select(t => (request with
            {
                TargetFraction = t.Fraction, TargetLatency = t.Latency, Backend = backend, Calibrate = mismatch is null,
            }).Validated()).ToList();
            return new SearchSession(job, model, info, latency, new FlopsCost(preset), requests);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Searches and verifies <paramref name="request"/> (one of <see cref="Requests"/>); with fine-tuning, writes the searched model where the job says.</summary>
    public SearchReport Run(SearchRequest request, Action<string>? say = null, Action<SearchProgress>? progress = null,
        Action<EngineProgress>? measuring = null, CancellationToken stop = default)
    {
        Action<VqaModel>? finetuned = request.Settings.Finetune && job.FinetunedBeside is { } beside ? SaveFinetuned(beside, request) : null;
        return SearchRun.Run(model, Latency, Flops, request, say, progress, measuring, stop, finetuned);
    }

    // Where the model fine-tuned for this request's target goes (search.json → search.ckpt; search-0.6.ckpt in a sweep).
    private Action<VqaModel> SaveFinetuned(string beside, SearchRequest request)
    {
        var label = new SearchTarget(request.TargetFraction, request.TargetLatency).Label;
        var settings = request.Settings;
        var path = Path.ChangeExtension(beside, null) + (job.Targets.Count > 1 ? "-" + label : "") + ".ckpt";
        var tuned = info with { ValidationAccuracy = null, Settings = $"{info.Settings}; fine-tuned by search at target {label}: {settings.Steps} steps with the plan, then {settings.FinetuneSteps} on its discrete form" };
        return tunedModel => Tasks.Network.Checkpoint.Save(path, tunedModel, tuned);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Latency.Dispose();
        model.Dispose();
    }
}
