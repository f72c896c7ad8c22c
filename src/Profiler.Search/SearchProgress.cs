namespace Profiler.Search;

/// <summary>One step of a search, for progress displays and the history.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Steps">Steps in all.</param>
/// <param name="Loss">Total loss.</param>
/// <param name="TaskLoss">Cross-entropy.</param>
/// <param name="Accuracy">Accuracy of the sampled plan on this step's questions.</param>
/// <param name="ExpectedCost">E[cost] of the relaxed plan, in the cost's unit.</param>
/// <param name="Temperature">Gumbel-softmax temperature.</param>
public sealed record SearchProgress(int Step, int Steps, double Loss, double TaskLoss, double Accuracy, double ExpectedCost, double Temperature);
