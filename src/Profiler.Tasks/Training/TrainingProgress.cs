namespace Profiler.Tasks.Training;

/// <summary>Where a training stands, for progress displays.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps in the whole schedule.</param>
/// <param name="Loss">Mean training loss over the recent steps.</param>
/// <param name="Recent">Training accuracy over the recent steps.</param>
/// <param name="Validation">The latest validation, or null before the first.</param>
/// <param name="Seconds">Training seconds so far, resumed runs included.</param>
public sealed record TrainingProgress(long Step, int Steps, double Loss, AccuracyReport Recent, AccuracyReport? Validation, double Seconds);
