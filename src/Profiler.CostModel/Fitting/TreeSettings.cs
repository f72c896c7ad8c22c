namespace Profiler.CostModel.Fitting;

/// <summary>
/// Hyperparameters shared by FastTree and LightGbm. Profiles hold tens of cases per operator, so leaves may be
/// small (a real step can sit at a single token count) and the trees shallow.
/// </summary>
public sealed record TreeSettings
{
    /// <summary>Boosting rounds.</summary>
    public int Trees { get; init; } = 100;

    /// <summary>Leaves per tree.</summary>
    public int Leaves { get; init; } = 8;

    /// <summary>Fewest training rows in a leaf.</summary>
    public int MinimumRowsPerLeaf { get; init; } = 2;

    /// <summary>Shrinkage per round.</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>Seed of the trainers.</summary>
    public int Seed { get; init; } = 1;
}
