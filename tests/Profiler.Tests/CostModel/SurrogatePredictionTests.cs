using Profiler.Core;
using Profiler.CostModel.Surrogate;

namespace Profiler.Tests.CostModel;

/// <summary>
/// A surrogate whose parameters were edited (and re-hashed, so it validates as a file) is still refused when its
/// predictions over the profiled range are not latencies, or when what it says about its machine is impossible.
/// </summary>
[Collection(FittedSyntheticCollection.Name)]
public class SurrogatePredictionTests(FittedSynthetic fixture)
{
    private SurrogateDocument Fitted => fixture.Fit.Document;

    private static string Refusal(SurrogateDocument edited) =>
        Assert.Throws<InputException>(() => SurrogateFile.Parse("edited.surrogate.json", SurrogateFile.Serialize(edited))).Message;

    private SurrogateDocument WithModel(int index, Func<SurrogateModel, SurrogateModel> edit) =>
        Fitted with { Models = Fitted.Models.Select((m, i) => i == index ? edit(m) : m).ToList() };

    [Fact]
    public void A_fitted_surrogate_passes()
    {
        var parsed = SurrogateFile.Parse("fitted.surrogate.json", SurrogateFile.Serialize(Fitted));
        Assert.Equal(Fitted.Models.Count, parsed.Models.Count);
    }

    [Fact]
    public void A_large_negative_bias_is_refused_naming_the_model()
    {
        int index = new Random(fixture.Seed).Next(Fitted.Models.Count);
        var message = Refusal(WithModel(index, m => m with { Linear = m.Linear with { BiasUs = -1e6 } }));
        Assert.Contains($"models[{index}]", message);
        Assert.Contains("not a latency", message);
    }

    [Theory]
    [InlineData(800)]
    [InlineData(-800)]
    public void Leaves_that_overflow_or_vanish_are_refused(double leaf)
    {
        var rng = new Random(fixture.Seed);
        var withTrees = Fitted.Models.Select((m, i) => (m, i)).Where(p => p.m.Trees is { Trees.Count: > 0 }).ToList();
        Assert.True(withTrees.Count > 0, $"{fixture.Replay}: no tree model was chosen");
        var (_, index) = withTrees[rng.Next(withTrees.Count)];
        var message = Refusal(WithModel(index, m => m with
        {
            Trees = m.Trees! with { Trees = m.Trees.Trees.Select(t => t with { Leaves = t.Leaves.Select(_ => leaf).ToList() }).ToList() },
        }));
        Assert.Contains($"models[{index}]", message);
        Assert.Contains("not a latency", message);
    }

    [Fact]
    public void More_threads_than_cores_is_refused()
    {
        var fingerprint = Fitted.Profile.Fingerprint with { LogicalCores = 2, Threads = 64 };
        var message = Refusal(Fitted with { Profile = Fitted.Profile with { Fingerprint = fingerprint } });
        Assert.Contains("profile.fingerprint.threads", message);
    }

    [Fact]
    public void An_impossible_profiled_shape_is_refused()
    {
        var message = Refusal(WithModel(0, m => m with { Shapes = [m.Shapes[0] with { Hidden = 1 << 20, Heads = 1 }] }));
        Assert.Contains("models[0].shapes[0]", message);
        Assert.Contains("hidden size", message);
    }
}
