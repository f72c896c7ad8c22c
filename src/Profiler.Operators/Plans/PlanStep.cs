using System.Text.Json.Serialization;
using Profiler.Core;
using Profiler.Operators.Reduction;

namespace Profiler.Operators.Plans;

/// <summary>
/// One reduction of a plan: inside layer <see cref="Layer"/> (0-based), after its attention and before its MLP (as
/// ToMe places it), the operator reduces the sequence to <see cref="Keep"/> tokens, which every later layer sees.
/// In a file it is <c>{"layer": 1, "keep": 14, "operator": "prune", "variant": "", "score": "last-text"}</c>
/// (<see cref="PlanStepJsonConverter"/>).
/// </summary>
/// <param name="Layer">Layer index, 0-based.</param>
/// <param name="Keep">Tokens after the reduction, protected tokens (CLS, text) included.</param>
/// <param name="Operator">Reduction operator: prune, merge, pool or reweight.</param>
/// <param name="Aligned">True for the operator's aligned anchor of O(α) (variant "aligned"), false for the stand-alone operator (variant "").</param>
/// <param name="Score">The score it ranks by, whose cost is added; null if none, and null with <paramref name="RandomScore"/>.</param>
/// <param name="RandomScore">True when it ranks by random scores (score "random"): an accuracy baseline the profile has no cost for.</param>
[JsonConverter(typeof(PlanStepJsonConverter))]
public sealed record PlanStep(int Layer, int Keep, OperatorKind Operator, bool Aligned = false, ScoreKind? Score = null, bool RandomScore = false)
{
    /// <summary>The score name of the random baseline.</summary>
    public const string RandomScoreName = "random";

    /// <summary>The variant as a file and a profile's case name it: "aligned" or "".</summary>
    public string VariantName => Aligned ? ReductionVariant.AlignedWord : "";

    /// <summary>The score as a file names it ("norm", "cls", "last-text", "random"), or null.</summary>
    public string? ScoreName => RandomScore ? RandomScoreName : Score?.Name();
}
