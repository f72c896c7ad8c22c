using Profiler.CostModel.Training;

namespace Profiler.CostModel.Evaluation;

/// <summary>A prediction of a held-out case by a regressor fitted without its token count.</summary>
/// <param name="Key">The model.</param>
/// <param name="Regressor">Regressor name.</param>
/// <param name="Split">"interpolation" or "extrapolation".</param>
/// <param name="Row">The held-out case and its measurement.</param>
/// <param name="PredictedUs">The prediction in microseconds.</param>
public sealed record HeldOutPrediction(ModelKey Key, string Regressor, string Split, TrainingRow Row, double PredictedUs);
