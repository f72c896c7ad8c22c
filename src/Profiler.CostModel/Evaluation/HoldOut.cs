using Profiler.CostModel.Training;

namespace Profiler.CostModel.Evaluation;

/// <summary>One held-out fold: what a regressor is fitted on and what it is scored on.</summary>
/// <param name="Train">Training rows.</param>
/// <param name="Test">Held-out rows (whole token counts: every case at a held-out tokens-in value).</param>
public sealed record HoldOutFold(IReadOnlyList<TrainingRow> Train, IReadOnlyList<TrainingRow> Test);

/// <summary>
/// Held-out splits by token count, the same for every regressor. Interpolation: the token counts strictly inside the
/// grid are dealt round-robin into folds, each held out once while the rest (and both ends) train, so every inner
/// case is predicted once by a model that never saw its token count. Extrapolation: the largest fifth of the token
/// counts is held out and the rest trains.
/// </summary>
public static class HoldOut
{
    /// <summary>Name of the interpolation split.</summary>
    public const string Interpolation = "interpolation";

    /// <summary>Name of the extrapolation split.</summary>
    public const string Extrapolation = "extrapolation";

    /// <summary>Interpolation folds (at most <paramref name="folds"/>, fewer when there are fewer inner token counts).</summary>
    public static IReadOnlyList<HoldOutFold> InterpolationFolds(IReadOnlyList<TrainingRow> rows, int folds = 4)
    {
        var tokens = rows.Select(r => r.Case.TokensIn).Distinct().Order().ToList();
        var inner = tokens.Skip(1).Take(tokens.Count - 2).ToList();
        int count = Math.Min(folds, inner.Count);
        return Enumerable.Range(0, count)
            .Select(f => inner.Where((_, i) => i % count == f).ToHashSet())
            .Select(held => Split(rows, held))
            .ToList();
    }

    /// <summary>The extrapolation fold: the largest <paramref name="fraction"/> of token counts held out (at least one).</summary>
    public static HoldOutFold ExtrapolationFold(IReadOnlyList<TrainingRow> rows, double fraction = 0.2)
    {
        var tokens = rows.Select(r => r.Case.TokensIn).Distinct().Order().ToList();
        int held = Math.Clamp((int)Math.Ceiling(fraction * tokens.Count), 1, tokens.Count - 2);
        return Split(rows, tokens.TakeLast(held).ToHashSet());
    }

    private static HoldOutFold Split(IReadOnlyList<TrainingRow> rows, HashSet<int> held) =>
        new(rows.Where(r => !held.Contains(r.Case.TokensIn)).ToList(), rows.Where(r => held.Contains(r.Case.TokensIn)).ToList());
}
