namespace Profiler.Operators.Plans;

/// <summary>
/// One reduction of a plan: inside layer <see cref="Layer"/> (0-based), after its attention and before its MLP (as
/// ToMe places it), the operator reduces the sequence to <see cref="Keep"/> tokens, which every later layer sees.
/// </summary>
/// <param name="Layer">Layer index, 0-based.</param>
/// <param name="Keep">Tokens after the reduction, protected tokens (CLS, text) included.</param>
/// <param name="Operator">Reduction operator: prune, merge, pool or reweight.</param>
/// <param name="Variant">The operator's case variant, if the profile has one (e.g. "aligned").</param>
/// <param name="Score">The score it needs (the variant of a score case, e.g. "cls"), whose cost is added; null if none.</param>
public sealed record PlanStep(int Layer, int Keep, string Operator, string Variant = "", string? Score = null);
