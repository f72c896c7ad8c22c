using System.Text.Json;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Reports;
using Profiler.Search;
using Profiler.Tasks.Data;
using Profiler.Tasks.Training;

namespace Profiler.Tests.Search;

/// <summary>The search's result file: a sweep writes the sweep's form after each target, so a stopped sweep keeps them.</summary>
public sealed class SearchOutputTests
{
    private static MethodResult Method(string name, Random rng, double share)
    {
        var correct = Enumerable.Range(0, 200).Select(_ => rng.NextDouble() < 0.8).ToArray();
        var answers = new AccuracyReport(correct.Count(c => c) / 200.0, QuestionTypes.All.ToDictionary(t => t, _ => 0.0), 200, correct);
        return new(name, ReductionPlan.None, answers, LatencyEstimate.FromNanoseconds(Enumerable.Repeat(1e6, 40).ToArray()), true,
            Latency.FromMilliseconds(1), 1, 10, new PairedRatio(share, share - 0.01, share + 0.01, 64));
    }

    private static SearchReport Report(Random rng, double target) => new(Method("no reduction", rng, 1),
        [Method("latency search", rng, target), Method("fixed prune", rng, target)], Latency.FromMilliseconds(1), 1, "a", "b", [], TargetFraction: target);

    [Fact]
    public void A_sweep_saved_after_its_first_targets_is_a_sweep_of_those_targets()
    {
        var rng = new Random();
        var targets = Enumerable.Range(0, 1 + rng.Next(3)).Select(i => Math.Round(0.4 + 0.1 * i, 9)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.json");
        try
        {
            SearchOutput.Save(path, targets.Select(t => Report(rng, t)).ToList(), SearchCost.Latency, sweep: true);
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var runs = document.RootElement.GetProperty("sweep").EnumerateArray().ToList();
            Assert.Equal(targets, runs.Select(r => Math.Round(r.GetProperty("targetFraction").GetDouble(), 9)));
            Assert.Equal(targets.Count > 1 ? targets.Count : 0, document.RootElement.GetProperty("frontier").GetArrayLength());

            SearchOutput.Save(path, [Report(rng, 0.6)], SearchCost.Latency, sweep: false);
            using var single = JsonDocument.Parse(File.ReadAllText(path));
            Assert.False(single.RootElement.TryGetProperty("sweep", out _));
            Assert.Equal(0.6, single.RootElement.GetProperty("targetFraction").GetDouble(), 9);
        }
        finally { File.Delete(path); }
    }
}
