using Profiler.Core;

namespace Profiler.Tasks.Network;

/// <summary>What a checkpoint says about itself: the model's shape and how it was trained.</summary>
/// <param name="Shape">Layer sizes; the model is rebuilt from them before the weights are read.</param>
/// <param name="Steps">Optimiser steps taken.</param>
/// <param name="Questions">Training questions seen.</param>
/// <param name="TrainingSeconds">Wall-clock seconds of training, summed over resumed runs.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation questions when it was saved (a fraction), or null.</param>
/// <param name="Settings">The training settings, as text, for the record.</param>
public sealed record CheckpointInfo(ModelShape Shape, long Steps, long Questions, double TrainingSeconds, double? ValidationAccuracy, string Settings);
