using Profiler.Operators.Plans;
using Profiler.Search;
using Profiler.Tasks.Network;

namespace Profiler.Tests.Search;

/// <summary>The fixed-operator baselines: a layer per operator, chosen among the plans a measurement keeps.</summary>
public class FixedBaselinesTests
{
    [Fact]
    public void A_plan_the_screen_drops_is_never_chosen_unless_it_drops_all_of_its_operator()
    {
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _model = model;
        var cost = new TokenCost();
        var random = new Random();
        double target = (0.55 + 0.2 * random.NextDouble()) * cost.Of(ReductionPlan.None);
        int seed = random.Next(1000);
        var unscreened = FixedBaselines.Best(model, cost, target, 40, seed);
        Assert.Equal(FixedBaselines.Operators.Count, unscreened.Count);

        // Dropping each operator's own choice moves it to another layer that fits.
        var first = unscreened.Select(c => c.Plan.Describe()).ToHashSet();
        var seen = new List<ReductionPlan>();
        var screened = FixedBaselines.Best(model, cost, target, 40, seed, screen: plans =>
        {
            seen.AddRange(plans);
            return plans.Select(p => first.Contains(p.Describe()) ? null : p).ToList();
        });
        Assert.All(seen, p => Assert.True(cost.Of(p) <= target, p.Describe()));
        Assert.True(seen.Count >= 2 * FixedBaselines.Operators.Count, $"{seen.Count} plans screened");
        Assert.All(screened, c => Assert.DoesNotContain(c.Plan.Describe(), first));

        // An operator whose every plan is dropped keeps them all to choose from.
        var none = FixedBaselines.Best(model, cost, target, 40, seed, screen: plans => plans.Select(_ => (ReductionPlan?)null).ToList());
        Assert.Equal(unscreened.Select(c => c.Plan.Describe()), none.Select(c => c.Plan.Describe()));
    }
}
