using Profiler.CostModel.ModelLevel;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>
/// The last choice of a search among the best plans its polish ran. The polish ranks plans by validation accuracy on
/// the weights as they are and by predicted cost; the plan reported is judged on measured time and, with
/// fine-tuning, after training. So the best few are kept as candidates: the search measures them against the budget
/// (<see cref="SearchRun"/>), then this picks among those that meet it.
/// </summary>
public static class PlanChoice
{
    /// <summary>How many of the polish's best plans are candidates.</summary>
    public const int Candidates = 3;

    /// <summary>The <paramref name="count"/> distinct plans of highest accuracy, best first (earlier first among equals).</summary>
    public static List<ReductionPlan> Top(IEnumerable<(ReductionPlan Plan, double Accuracy)> tried, int count) =>
        tried.OrderByDescending(t => t.Accuracy).Select(t => t.Plan).DistinctBy(p => p.Describe()).Take(count).ToList();

    /// <summary>
    /// The candidate of best validation accuracy on <paramref name="weights"/>. With <paramref name="train"/>, each is
    /// first trained on its discrete form for a third of the final fine-tuning steps, on its own copy of the weights:
    /// the plans are finally compared after that training, and an operator that gains much from it (the prune) ranks
    /// low on weights that never ran it. A single candidate is returned as it is.
    /// </summary>
    public static ReductionPlan Best(VqaModel weights, IReadOnlyList<ReductionPlan> candidates, bool train, SearchRequest request,
        Action<string>? say = null, CancellationToken stop = default)
    {
        if (candidates.Count == 1) return candidates[0];
        var settings = request.Settings;
        int steps = Math.Max(1, settings.FinetuneSteps / 3);
        (ReductionPlan Plan, double Accuracy)? best = null;
        foreach (var plan in candidates)
        {
            double accuracy;
            if (train)
            {
                using var trial = PlanFinetune.Copy(weights);
                PlanFinetune.Run(trial, plan, steps, settings.FinetuneBatchSize, settings.FinetuneLearningRate, settings.Seed, stop: stop);
                accuracy = Evaluator.Evaluate(trial, plan, Split.Validation, request.TestSeed, request.ValidationCount).Accuracy;
            }
            else accuracy = Evaluator.Evaluate(weights, plan, Split.Validation, request.TestSeed, request.ValidationCount).Accuracy;
            say?.Invoke($"candidate {plan.Describe()}: validation accuracy {accuracy:P1}{(train ? $" after {steps} steps of fine-tuning" : "")}");
            if (best is null || accuracy > best.Value.Accuracy) best = (plan, accuracy);
        }
        return best!.Value.Plan;
    }
}
