namespace Profiler.Tasks.Training;

/// <summary>How to train: the schedule, the data stream and how often to validate and save.</summary>
/// <param name="Steps">Total optimiser steps; the learning-rate schedule spans them, so a resumed run keeps this.</param>
/// <param name="BatchSize">Questions per step.</param>
/// <param name="LearningRate">Peak learning rate of AdamW.</param>
/// <param name="WarmupSteps">Steps of linear warm-up before the cosine decay.</param>
/// <param name="WeightDecay">AdamW's decoupled weight decay.</param>
/// <param name="Seed">Seed of the training question stream and of the initial weights.</param>
/// <param name="ValidateEvery">Steps between validations (each also saves the run's state).</param>
/// <param name="ValidationCount">Validation questions per validation.</param>
public sealed record TrainSettings(
    int Steps = 4000,
    int BatchSize = 64,
    double LearningRate = 1e-3,
    int WarmupSteps = 400,
    double WeightDecay = 0.05,
    int Seed = 1,
    int ValidateEvery = 100,
    int ValidationCount = 1200)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first impossible value.</summary>
    public TrainSettings Validated()
    {
        if (Steps < 1) throw new Profiler.Core.InputException($"steps must be positive, got {Steps}");
        if (BatchSize < 1) throw new Profiler.Core.InputException($"batch size must be positive, got {BatchSize}");
        if (!(LearningRate > 0)) throw new Profiler.Core.InputException($"learning rate must be positive, got {LearningRate}");
        if (WarmupSteps < 0) throw new Profiler.Core.InputException($"warm-up steps must not be negative, got {WarmupSteps}");
        if (ValidateEvery < 1) throw new Profiler.Core.InputException($"validate-every must be positive, got {ValidateEvery}");
        if (ValidationCount < 1) throw new Profiler.Core.InputException($"validation count must be positive, got {ValidationCount}");
        return this;
    }

    /// <summary>
    /// The learning rate at <paramref name="step"/>: linear warm-up to the peak, then a cosine decay to a tenth of it
    /// by the last step.
    /// </summary>
    public double LearningRateAt(long step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / WarmupSteps;
        double progress = Math.Clamp((double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps), 0, 1);
        return LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
