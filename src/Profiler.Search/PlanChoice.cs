using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>A plan's measured share of the unreduced model over the share its budget allows, with its 95% interval.</summary>
public sealed record BudgetUse(double Median, double Low, double High)
{
    /// <summary>
    /// True where the whole interval lies over the budget by more than the final measurement tolerates
    /// (<see cref="MeasuredBudget.OverBudget"/>): a median over it inside the interval is noise, and a plan within that
    /// tolerance is one the final run keeps as it is. With the budget itself as the bound, a sweep at 75% passed over
    /// a prune measured at 104% (103–105%) for an aligned merge within a standard error of it; the final run measured
    /// the prune at 100.7% as the fixed baseline and tested it 0.6 points above the merge.
    /// </summary>
    public bool IsOver => Low > MeasuredBudget.OverBudget;

    /// <summary>True where this interval lies wholly below <paramref name="other"/>'s.</summary>
    public bool IsFirmlyBelow(BudgetUse other) => High < other.Low;

    /// <summary>The share <paramref name="share"/> over <paramref name="wanted"/>.</summary>
    public static BudgetUse Of(Profiler.Core.PairedRatio share, double wanted) => new(share.Median / wanted, share.Low / wanted, share.High / wanted);
}

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
    /// <paramref name="candidates"/> and, after them, each step of the first candidate as a plan of its own (where it is
    /// not one already). A plan's predicted cost errs more the more steps it has: each step adds calls and copies that
    /// the operators timed alone do not see. In a journey the polish's three best plans were all two-step plans that
    /// measured 64.8–66.9% against a 60% budget, none could be cut to fit, and the search fell back to its unpolished
    /// three-step plan: 85.0% against 89.6% for a one-step prune. A single step, corrected to the budget by
    /// measurement, is the fallback that keeps the polish's choice of layer, operator and score.
    /// </summary>
    public static List<ReductionPlan> WithSingleSteps(IReadOnlyList<ReductionPlan> candidates)
    {
        var all = candidates.ToList();
        if (all.Count == 0 || all[0].Steps.Count < 2) return all;
        foreach (var step in all[0].Steps)
        {
            var single = new ReductionPlan([step]);
            if (!all.Any(p => p.Describe() == single.Describe())) all.Add(single);
        }
        return all;
    }

    /// <summary>
    /// The candidate of best validation accuracy on <paramref name="weights"/>. With <paramref name="train"/>, each is
    /// first trained on its discrete form for a third of the final fine-tuning steps, on its own copy of the weights:
    /// the plans are finally compared after that training, and an operator that gains much from it (the prune) ranks
    /// low on weights that never ran it. With <paramref name="budgetUse"/> (each candidate's measured share of the
    /// unreduced model over the target share), candidates as accurate as the best within the noise are told apart by
    /// whether they measured within the budget (see <see cref="Pick"/>). A single candidate is returned as it is.
    /// </summary>
    public static ReductionPlan Best(VqaModel weights, IReadOnlyList<ReductionPlan> candidates, bool train, SearchRequest request,
        Action<string>? say = null, CancellationToken stop = default, IReadOnlyList<BudgetUse>? budgetUse = null)
    {
        if (candidates.Count == 1) return candidates[0];
        var settings = request.Settings;
        int steps = Math.Max(1, settings.FinetuneSteps / 3);
        var accuracies = new List<double>();
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
            say?.Invoke($"candidate {plan.Describe()}: validation accuracy {accuracy:P1}{(train ? $" after {steps} steps of fine-tuning" : "")}"
                + (budgetUse is null ? "" : $", measured at {budgetUse[accuracies.Count].Median:P0} of its budget ({budgetUse[accuracies.Count].Low:P0}–{budgetUse[accuracies.Count].High:P0})"));
            accuracies.Add(accuracy);
        }
        int chosen = Pick(accuracies, budgetUse, request.ValidationCount);
        if (accuracies[chosen] < accuracies.Max())
            say?.Invoke($"{candidates[chosen].Describe()} is as accurate as the best within one standard error ({100 * StandardError(accuracies.Max(), request.ValidationCount):F1} points) and "
                + (!budgetUse![chosen].IsOver ? "measured within the budget (or its 5% tolerance)" : "measured firmly less over the budget") + ": it is taken");
        return candidates[chosen];
    }

    /// <summary>
    /// The index of the candidate to take: the most accurate. With <paramref name="budgetUse"/> (each candidate's
    /// measured share over the target share, with its interval), only candidates within one standard error of the best
    /// accuracy on <paramref name="count"/> questions compete, and of those the most accurate that is not firmly over
    /// the budget (its interval's low end over <see cref="MeasuredBudget.OverBudget"/>) is taken; when all are, another is taken over the most accurate only
    /// where it measured firmly less (the intervals apart), the least of those. A difference of accuracy smaller than a
    /// standard error is the questions' noise, and so is a difference of measured share inside the intervals: a plan
    /// measured over its budget is the one the final joint measurement may cut. In a journey, a two-step plan chosen
    /// over a prune for 0.1 point of validation accuracy measured 61% and then 64% against a 60% budget, was cut, and
    /// tested 1.7 points under the same prune taken as a fixed baseline. Chosen on medians alone, a search took an
    /// aligned merge at 60.5% (60.1–61.0) over a prune at 61.2% (60.9–61.5) for 0.5 points less validation accuracy;
    /// the merge then measured 63.6%, was cut from 9 tokens to 7 and tested 5.3 points under that prune.
    /// </summary>
    public static int Pick(IReadOnlyList<double> accuracies, IReadOnlyList<BudgetUse>? budgetUse, int count)
    {
        var order = Enumerable.Range(0, accuracies.Count).OrderByDescending(i => accuracies[i]).ToList();
        if (budgetUse is null) return order[0];
        double floor = accuracies[order[0]] - StandardError(accuracies[order[0]], count);
        var close = order.Where(i => accuracies[i] >= floor).ToList();
        var within = close.Where(i => !budgetUse[i].IsOver).ToList();
        if (within.Count > 0) return within[0];
        int best = close[0];
        var cheaper = close.Where(i => budgetUse[i].IsFirmlyBelow(budgetUse[best])).ToList();
        return cheaper.Count > 0 ? cheaper.MinBy(i => budgetUse[i].Median) : best;
    }

    // The standard error of an accuracy p measured on n questions.
    private static double StandardError(double p, int n) => Math.Sqrt(p * (1 - p) / n);
}
