using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.CostModel.Training;

/// <summary>
/// The rows of a profile grouped by model, after the check that keeps a cost model from being fitted on too little
/// (each model has enough cases at enough token counts). What the profile has is fitted; where a model-level
/// prediction (a layer: layernorm, attention and MLP together, or a whole block) or a listed operator is missing,
/// <see cref="Notes"/> says so instead of refusing the fit.
/// </summary>
public sealed class TrainingSet
{
    /// <summary>Fewest cases one model is fitted on.</summary>
    public const int MinimumCases = 6;

    /// <summary>Fewest distinct token counts one model is fitted on (held-out evaluation needs inner and outer ones).</summary>
    public const int MinimumTokenCounts = 5;

    private TrainingSet(IReadOnlyDictionary<ModelKey, IReadOnlyList<TrainingRow>> byModel, IReadOnlyList<string> notes)
    {
        ByModel = byModel;
        Notes = notes;
    }

    /// <summary>What the surrogate will not predict, and why: one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Rows per model, each list sorted by tokens in, then tokens out.</summary>
    public IReadOnlyDictionary<ModelKey, IReadOnlyList<TrainingRow>> ByModel { get; }

    /// <summary>The models, in operator order.</summary>
    public IReadOnlyList<ModelKey> Keys => ByModel.Keys.OrderBy(k => k.Operator).ThenBy(k => k.Variant, StringComparer.Ordinal).ToList();

    /// <summary>Builds and checks the training set of <paramref name="profile"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputException">Missing operators or too few cases, in one line.</exception>
    public static TrainingSet From(ProfileDocument profile, string source)
    {
        var rows = profile.Cases
            .Select(c => new TrainingRow(c.Case, c.Latency.Value, c.Latency.Low ?? c.Latency.Value, c.Latency.High ?? c.Latency.Value))
            .ToList();
        return From(rows, profile.Settings.Operators, source);
    }

    /// <summary>Builds and checks a training set from rows; <paramref name="listed"/> are the operators the profile asked for.</summary>
    public static TrainingSet From(IReadOnlyList<TrainingRow> rows, IReadOnlyList<OperatorKind> listed, string source)
    {
        if (rows.Count == 0) throw new InputException($"{source}: the profile has no cases to fit on");
        var present = rows.Select(r => r.Case.Operator).ToHashSet();
        var notes = new List<string>();
        var missing = listed.Where(o => !present.Contains(o)).ToList();
        if (missing.Count > 0)
            notes.Add($"{Join(missing)}: listed by the profile but measured in no case (a run cut short?), so not fitted");
        OperatorKind[] layer = [OperatorKind.LayerNorm, OperatorKind.Attention, OperatorKind.Mlp];
        var partial = layer.Where(o => !present.Contains(o)).ToList();
        bool block = present.Contains(OperatorKind.Block);
        if (partial.Count > 0 && block)
            notes.Add($"no {Join(partial)}: a layer's parts are layernorm, attention and mlp, so model-level predictions (predict --model, search) sum whole blocks instead");
        else if (partial.Count > 0)
            notes.Add($"no {Join(partial)} and no block: model-level predictions (predict --model, search) need layernorm, attention and mlp, or block; this surrogate predicts single operators only");

        var byModel = new Dictionary<ModelKey, IReadOnlyList<TrainingRow>>();
        foreach (var group in rows.GroupBy(r => r.Key))
        {
            var sorted = group.OrderBy(r => r.Case.TokensIn).ThenBy(r => r.Case.TokensOut).ToList();
            int tokenCounts = sorted.Select(r => r.Case.TokensIn).Distinct().Count();
            if (sorted.Count < MinimumCases || tokenCounts < MinimumTokenCounts)
                throw new InputException($"{source}: operator '{group.Key.Name}' has {sorted.Count} cases at {tokenCounts} token counts; fitting needs at least {MinimumCases} cases at {MinimumTokenCounts} token counts");
            byModel[group.Key] = sorted;
        }
        return new TrainingSet(byModel, notes);
    }

    private static string Join(IEnumerable<OperatorKind> kinds) => string.Join(", ", kinds.Select(k => k.Name()));
}
