namespace Profiler.Search.Prediction;

/// <summary>
/// What to predict with a surrogate file: one operator at a token count (<see cref="Operator"/>), or a whole model
/// (<see cref="Model"/>) with an optional plan, optionally measured on this machine and set beside the prediction.
/// Sizes left null are the profiled ones (an operator) or the preset's (a model).
/// </summary>
public sealed record PredictRequest
{
    public required string Surrogate { get; init; }
    public required string? Operator { get; init; }
    public required double? Tokens { get; init; }
    public required double? TokensOut { get; init; }
    public required int? Hidden { get; init; }
    public required int? Heads { get; init; }
    public required int? MlpSize { get; init; }
    public required int? Batch { get; init; }
    public required string? Model { get; init; }
    public required string? Plan { get; init; }
    public required bool Measure { get; init; }
    public string? Checkpoint { get; init; }
    public int Rounds { get; init; } = SearchRequest.DefaultRounds;
    /// <summary>With --plan --measure: the runtime the plan is measured on (null: the surrogate's).</summary>
    public string? Backend { get; init; }
    public required string? Profile { get; init; }
    public required bool AllowMismatch { get; init; }
    /// <summary>Use the surrogate as it is, whatever this machine's reference suite says.</summary>
    public bool NoTransfer { get; init; }
    /// <summary>Refuse where this machine's reference suite disagrees with the surrogate's.</summary>
    public bool Strict { get; init; }
}
