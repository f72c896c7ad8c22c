using Profiler.Core;
using Profiler.Measurement.Backends;
using Profiler.Measurement.Backends.Torch;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Store;

namespace Profiler.Measurement.Forward;

/// <summary>A measured whole-model forward.</summary>
/// <param name="Latency">Latency of one forward by the profiles' estimator (<see cref="LatencyEstimate"/>), with its interval.</param>
/// <param name="Statistics">Diagnostics of the same samples.</param>
/// <param name="Converged">True when the stop rule's CI target was reached.</param>
/// <param name="Fingerprint">What it was measured on.</param>
/// <param name="Bursts">The samples as timed, burst by burst with their rounds.</param>
public sealed record ModelMeasurement(LatencyEstimate Latency, SampleStatistics Statistics, bool Converged, Fingerprint Fingerprint, IReadOnlyList<Burst> Bursts)
{
    /// <summary>
    /// This forward's time as a share of <paramref name="reference"/>'s, measured in the same run and paired round by
    /// round (<see cref="RoundPairing.Share"/>).
    /// </summary>
    public PairedRatio ShareOf(ModelMeasurement reference) => RoundPairing.Share(Bursts, reference.Bursts);
}

/// <summary>
/// Times a forward through a stack of a model's encoder blocks on this machine with the project's measurement
/// engine and torch backend, the same way the profile timed its operators: the check of a model-level prediction.
/// </summary>
public static class ModelForwardMeasurement
{
    /// <summary>The fingerprint this machine would give a torch profile on <paramref name="device"/> with <paramref name="threads"/> threads.</summary>
    public static Fingerprint Current(string device, int threads)
    {
        using var backend = new TorchBackend(device, threads);
        return Current(backend);
    }

    /// <summary>The fingerprint this machine gives measurements on <paramref name="backend"/>.</summary>
    public static Fingerprint Current(IBackend backend) => BackendFingerprint.Of(backend, HostInfo.Collect());

    /// <summary>Measures the forward of <paramref name="shape"/> at <paramref name="tokens"/> tokens.</summary>
    /// <param name="shape">Layer sizes and count.</param>
    /// <param name="tokens">Tokens every layer sees.</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="device">Torch device, e.g. "cpu".</param>
    /// <param name="threads">Intra-op threads (use the profile's, so the two are comparable).</param>
    /// <param name="settings">Engine settings.</param>
    /// <param name="progress">Receives the engine's progress.</param>
    public static ModelMeasurement Measure(ModelShape shape, int tokens, int batch, string device, int threads,
        EngineSettings? settings = null, Action<EngineProgress>? progress = null)
    {
        using var backend = new EncoderStackBackend(new TorchBackend(device, threads));
        return Measure(backend, [EncoderStackBackend.ModelCase(shape.Validated(), tokens, batch)], settings, progress).Single();
    }

    /// <summary>
    /// Measures whole-model cases that <paramref name="backend"/> knows how to run, interleaved in one engine run (so
    /// drift hits them alike), with a raw store in a temporary file that is removed afterwards.
    /// </summary>
    public static IReadOnlyList<ModelMeasurement> Measure(IBackend backend, IReadOnlyList<OperatorCase> cases,
        EngineSettings? settings = null, Action<EngineProgress>? progress = null)
    {
        var fingerprint = Current(backend);
        var storePath = Path.Combine(Path.GetTempPath(), $"profiler-model-{Guid.NewGuid():N}.raw.sqlite");
        try
        {
            MeasurementRun run;
            using (var store = RawStore.Open(storePath, hold: false))
                run = new MeasurementEngine(backend, settings ?? new EngineSettings()).Run(cases, store, progress);
            return cases.Select(c => run.Cases.Single(m => m.Case == c))
                .Select(m => new ModelMeasurement(m.Latency, m.Statistics, m.Converged, fingerprint, m.Bursts)).ToList();
        }
        finally
        {
            foreach (var suffix in RawStore.FileSuffixes)
                File.Delete(storePath + suffix);
        }
    }
}
