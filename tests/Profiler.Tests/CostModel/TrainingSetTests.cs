using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Training;

namespace Profiler.Tests.CostModel;

public class TrainingSetTests
{
    private static readonly int Seed = Random.Shared.Next(1, 1_000_000);

    [Fact]
    public void TooFewCasesForAnOperatorIsRefused()
    {
        var profile = SyntheticProfiles.WithFewCases(SyntheticProfiles.Create(Seed), OperatorKind.Mlp, keep: 3);
        var e = Assert.Throws<InputException>(() => CostModelFitter.Fit(profile, "few.profile.json"));
        Assert.Contains("few.profile.json", e.Message);
        Assert.Contains("'mlp' has 3 cases", e.Message);
    }

    [Fact]
    public void AnOperatorListedButNotMeasuredIsNotedAndTheRestFitted()
    {
        var profile = SyntheticProfiles.Create(Seed);
        profile = (profile with { Settings = profile.Settings with { Operators = [.. profile.Settings.Operators, OperatorKind.Block] } }).WithComputedHash();
        var set = TrainingSet.From(profile, "p.json");
        Assert.Contains(set.Notes, n => n.StartsWith("block: listed by the profile but measured in no case", StringComparison.Ordinal));
        Assert.Equal(profile.Cases.Select(c => ModelKey.Of(c.Case)).Distinct().Count(), set.Keys.Count);
    }

    [Fact]
    public void AnIncompleteLayerIsFittedAndSaysWhatModelLevelPredictionsLack()
    {
        var profile = SyntheticProfiles.Create(Seed);
        profile = (profile with
        {
            Cases = profile.Cases.Where(c => c.Case.Operator != OperatorKind.LayerNorm).ToList(),
            Settings = profile.Settings with { Operators = [OperatorKind.Attention, OperatorKind.Mlp] },
        }).WithComputedHash();
        var set = TrainingSet.From(profile, "p.json");
        Assert.DoesNotContain(set.Keys, k => k.Operator == OperatorKind.LayerNorm);
        Assert.Contains(set.Notes, n => n.Contains("no layernorm and no block", StringComparison.Ordinal) && n.Contains("single operators only", StringComparison.Ordinal));
    }

    [Fact]
    public void RowsAreGroupedPerOperatorAndSortedByTokens()
    {
        var set = TrainingSet.From(SyntheticProfiles.Create(Seed), "p.json");
        Assert.Equal(4, set.Keys.Count);
        foreach (var (key, rows) in set.ByModel.Where(m => !m.Key.Operator.IsReduction()))
            Assert.Equal(SyntheticProfiles.Tokens, rows.Select(r => r.Case.TokensIn));
        var prune = set.ByModel[new ModelKey(OperatorKind.Prune)];
        Assert.True(prune.Zip(prune.Skip(1)).All(p => (p.First.Case.TokensIn, p.First.Case.TokensOut).CompareTo((p.Second.Case.TokensIn, p.Second.Case.TokensOut)) < 0));
    }
}
