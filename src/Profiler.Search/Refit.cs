namespace Profiler.Search;

/// <summary>How a measure-and-correct run (<see cref="MeasuredBudget"/>) may refit a plan that misses the budget.</summary>
public enum Refit
{
    /// <summary>Never (the unreduced model, the FLOPs search).</summary>
    None,
    /// <summary>Keep counts scaled to the budget, up or down.</summary>
    Free,
    /// <summary>Only down, when over the budget, and to no fewer than <see cref="MeasuredBudget.LimitedRefit"/> of each step's tokens.</summary>
    Limited,
}
