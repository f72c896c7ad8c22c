using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Forward;
using Profiler.Operators.Plans;
using static TorchSharp.torch;

namespace Profiler.CostModel.ModelLevel;

/// <summary>
/// Measures a preset's unreduced forward on this machine and records its ratio to the sum of its operators
/// (<see cref="ModelCalibration"/>). Only meaningful on the machine the profile was measured
/// on, so it refuses any other.
/// </summary>
public static class ModelCalibrator
{
    /// <summary>Measures and returns the calibration of <paramref name="preset"/> for <paramref name="surrogate"/>.</summary>
    /// <param name="surrogate">The fitted surrogate (its profile's device and threads are used).</param>
    /// <param name="preset">The model to calibrate, at its full sequence (visual plus protected tokens).</param>
    /// <param name="batch">Batch size.</param>
    /// <param name="progress">Receives a line before the measurement starts.</param>
    /// <exception cref="InputException">This machine is not the one the profile was measured on, or it was too busy
    /// for the measurement to converge.</exception>
    public static ModelCalibration Calibrate(LatencySurrogate surrogate, Preset preset, int batch = 1, Action<string>? progress = null)
    {
        var profiled = surrogate.Document.Profile.Fingerprint;
        var here = ModelForwardMeasurement.Current(profiled.Device, profiled.Threads);
        surrogate.CheckFingerprint(here, "this machine (a calibration measures the profiled machine)", allowMismatch: false);
        int tokens = preset.VisualTokens + preset.ProtectedTokens;
        double predictedMs;
        using (var scope = NewDisposeScope())
        using (var model = ModelLatencySurrogate.ForPlan(surrogate, preset, ReductionPlan.None, batch, calibrated: false))
        {
            var (a, m, w) = model.Inputs(ReductionPlan.None, tokens);
            predictedMs = model.forward(a, m, w).item<double>() / 1e3;
        }
        progress?.Invoke($"calibrating {preset.Name}: measuring its forward at {tokens} tokens on {profiled.Device} with {profiled.Threads} threads…");
        var measured = ModelForwardMeasurement.Measure(preset.Shape, tokens, batch, profiled.Device, profiled.Threads);
        // A calibration from a busy spell would shift every later prediction; keep only a converged measurement.
        if (!measured.Converged)
            throw new InputException($"calibration not kept: the forward of {preset.Name} did not converge to its confidence target ({measured.Latency.Value}, 95% interval {measured.Latency.Low?.ToString() ?? "unbounded"}–{measured.Latency.High?.ToString() ?? "unbounded"}); the machine is busy, run fit --calibrate again when it is quiet");
        double measuredMs = measured.Latency.Value.Milliseconds;
        var s = preset.Shape;
        return new ModelCalibration(preset.Name, s.Hidden, s.Heads, s.MlpSize, s.Layers, batch, tokens, measuredMs, predictedMs,
            measuredMs / predictedMs);
    }
}
