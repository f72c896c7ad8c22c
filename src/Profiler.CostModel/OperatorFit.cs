using Profiler.CostModel.Evaluation;
using Profiler.CostModel.Fitting;
using Profiler.CostModel.Models;
using Profiler.CostModel.Surrogate;
using Profiler.CostModel.Training;

namespace Profiler.CostModel;

/// <summary>Everything fitted for one operator: every regressor on all rows, the choice, and its surrogate's checks.</summary>
/// <param name="Key">The model.</param>
/// <param name="Rows">Its training rows.</param>
/// <param name="Fitted">Each regressor fitted on all rows, by name.</param>
/// <param name="Choice">The chosen regressor and why.</param>
/// <param name="Chosen">The chosen model with its fitted temperature: what the surrogate evaluates.</param>
/// <param name="Check">The surrogate's checks on the profiled grid.</param>
public sealed record OperatorFit(
    ModelKey Key, IReadOnlyList<TrainingRow> Rows, IReadOnlyDictionary<string, FittedRegressor> Fitted,
    ModelChoice Choice, OperatorCostModel Chosen, SurrogateCheck Check);

/// <summary>The outcome of <see cref="CostModelFitter.Fit"/>.</summary>
/// <param name="Document">The surrogate file's contents.</param>
/// <param name="Operators">Per operator fits.</param>
/// <param name="HeldOut">Every held-out prediction.</param>
/// <param name="Accuracy">The accuracy report.</param>
public sealed record FitResult(
    SurrogateDocument Document, IReadOnlyList<OperatorFit> Operators, IReadOnlyList<HeldOutPrediction> HeldOut,
    IReadOnlyList<AccuracyRow> Accuracy)
{
    /// <summary>What the surrogate will not predict, and why (from <see cref="Training.TrainingSet.Notes"/>).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
