using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>
/// A discrete polish of a searched plan on validation questions. The gradient search relaxes the operator choice
/// with straight-through samples, whose gradient compares operators only to first order; here each neighbour of the
/// plan is run for real. A neighbour changes one reduction's operator or score, drops one reduction, adds a prune in the
/// layer after the last one, or moves tokens between the last two reductions; its keep counts are then scaled together
/// to the most that fit the budget. The best neighbour is taken while it beats the
/// current plan's validation accuracy. The test questions are never used.
/// </summary>
public static class PlanPolish
{
    /// <summary>Most rounds of moves.</summary>
    public const int Rounds = 3;

    /// <summary>
    /// The polished plan (the given one when no neighbour is better). <paramref name="accuracy"/> is the plan's own
    /// accuracy on the same <paramref name="validationCount"/> validation questions of <paramref name="seed"/>.
    /// Every plan run on the way, the given one first, goes to <paramref name="tried"/> with its accuracy.
    /// </summary>
    public static ReductionPlan Run(VqaModel model, ReductionPlan plan, double accuracy, IPlanCost cost, double target, IReadOnlyList<ScoreKind> scores,
        int validationCount, int seed, Action<string>? say = null, ICollection<(ReductionPlan Plan, double Accuracy)>? tried = null)
    {
        double Accuracy(ReductionPlan p) => Evaluator.Evaluate(model, p, Split.Validation, seed, validationCount).Accuracy;
        tried?.Add((plan, accuracy));
        for (int round = 0; round < Rounds; round++)
        {
            (ReductionPlan Plan, double Accuracy)? best = null;
            foreach (var neighbour in Neighbours(plan, scores, model.Shape.Layers).Select(n => FitToBudget(n, cost, target)).OfType<ReductionPlan>())
            {
                double a = Accuracy(neighbour);
                tried?.Add((neighbour, a));
                if (a > (best?.Accuracy ?? accuracy)) best = (neighbour, a);
            }
            if (best is null) break;
            say?.Invoke($"polish: {best.Value.Plan.Describe()} has validation accuracy {best.Value.Accuracy:P1} (was {accuracy:P1})");
            (plan, accuracy) = best.Value;
        }
        return plan;
    }

    /// <summary>
    /// How much more the reduction before an added prune keeps than the prune does. Scaling keeps every ratio between
    /// steps, so a split's ratio is set here: at a 55% budget, L0 prune/cls → 100; L1 prune/last-text → 8 (a ratio of
    /// 12) tested 86.8% against 85.3% for the one-step L0 prune/cls → 41 of the same predicted cost (4,000 questions),
    /// L0 → 80; L1 → 20 (4) 86.0%, L0 → 60; L1 → 28 (2) 85.9%; at 45%, L0 → 30; L1 → 10 (3) 84.7% against 84.3%.
    /// Measured, a second step costs 2–3 points of the unreduced model's latency more than predicted: at the same
    /// measured share (about 50%) L0 → 80; L1 → 8 led the one-step prune by 0.45 points (86.60 against 86.15).
    /// </summary>
    public static IReadOnlyList<int> SplitRatios { get; } = [3, 12];

    /// <summary>
    /// Plans one move away from <paramref name="plan"/> in a model of <paramref name="layers"/> layers: one step's anchor
    /// or score changed; one step dropped (when there are two or more); a prune by each score added in the layer after
    /// the last step, keeping a <see cref="SplitRatios"/> share of what that step keeps; or, with two steps or more, the
    /// last step keeping twice or half as many (the split between the last two steps moved, once the plan is scaled to
    /// its budget again).
    /// </summary>
    public static IEnumerable<ReductionPlan> Neighbours(ReductionPlan plan, IReadOnlyList<ScoreKind> scores, int layers)
    {
        var steps = plan.Steps;
        for (int i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            foreach (var op in AlignedReduction.Anchors.Where(op => op != step.Operator))
                yield return With(steps, i, PlanSteps.Step(step.Layer, step.Keep, op, ScoreOf(step)));
            foreach (var score in scores.Where(s => s != step.Score))
                yield return With(steps, i, step with { Score = score });
            if (steps.Count > 1) yield return new ReductionPlan([.. steps.Take(i), .. steps.Skip(i + 1)]);
        }
        if (steps.Count == 0) yield break;
        int p = VqaModel.InputLayout.ProtectedCount;
        var last = steps[^1];
        int lastKeep = last.Keep - p;
        if (last.Layer + 1 < layers)
            foreach (var score in scores)
                foreach (int ratio in SplitRatios)
                    yield return new ReductionPlan([.. steps, PlanSteps.Step(last.Layer + 1, p + Math.Max(1, lastKeep / ratio), OperatorKind.Prune, score)]);
        if (steps.Count > 1)
        {
            int before = steps[^2].Keep - p;
            foreach (int keep in new[] { 2 * lastKeep, lastKeep / 2 }.Select(k => Math.Clamp(k, 1, before - 1)).Distinct().Where(k => k != lastKeep))
                yield return With(steps, steps.Count - 1, last with { Keep = p + keep });
        }
    }

    /// <summary>
    /// The plan with every keep count scaled by one factor, the largest whose predicted cost fits
    /// <paramref name="target"/> (a later step never keeps as many tokens as the step before it), or null when even
    /// the fewest tokens do not fit. The cost grows with every keep count, so a bisection on the factor finds it.
    /// </summary>
    public static ReductionPlan? FitToBudget(ReductionPlan plan, IPlanCost cost, double target)
    {
        var layout = VqaModel.InputLayout;
        double low = 0, high = (double)layout.Reducible / Math.Max(1, plan.Steps.Min(s => s.Keep - layout.ProtectedCount));
        if (cost.Of(Scale(plan, low)) > target) return null;
        for (int i = 0; i < 24; i++)
        {
            double middle = (low + high) / 2;
            if (cost.Of(Scale(plan, middle)) <= target) low = middle;
            else high = middle;
        }
        return Scale(plan, low);
    }

    /// <summary>
    /// <paramref name="plan"/> refitted after it measured <paramref name="measuredShare"/> of the unreduced model: its
    /// keep counts scaled to the most whose predicted share lies as far under <paramref name="targetShare"/> as the
    /// measurement lay over the prediction (or as far over it as it lay under), or null when even the fewest tokens do
    /// not fit. The prediction's slope is kept and only its level moved: a share measured moments apart moves by a few
    /// points between runs here, and a recalibration that put both measured forwards on the line (which sets the
    /// slope from one noisy point) cut a prune from 43 tokens to 11 after one high reading.
    /// </summary>
    public static ReductionPlan? Correct(ReductionPlan plan, IPlanCost cost, double measuredShare, double targetShare)
    {
        double unreduced = cost.Of(ReductionPlan.None);
        double miss = measuredShare - cost.Of(plan) / unreduced;
        return FitToBudget(plan, cost, (targetShare - miss) * unreduced);
    }

    /// <summary>
    /// The plan with every step's reducible keep count multiplied by <paramref name="factor"/> and rounded, at least one
    /// token for each step and each after it, and fewer than the step before kept.
    /// </summary>
    public static ReductionPlan Scale(ReductionPlan plan, double factor)
    {
        var layout = VqaModel.InputLayout;
        var steps = new List<PlanStep>();
        int available = layout.Reducible;
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            int keep = Math.Clamp((int)Math.Round(factor * (step.Keep - layout.ProtectedCount)), plan.Steps.Count - i, available - 1);
            steps.Add(step with { Keep = layout.ProtectedCount + keep });
            available = keep;
        }
        return new ReductionPlan(steps);
    }

    private static ScoreKind ScoreOf(PlanStep step) => step.Score ?? ScoreKind.Norm;

    private static ReductionPlan With(IReadOnlyList<PlanStep> steps, int index, PlanStep step) =>
        new([.. steps.Take(index), step, .. steps.Skip(index + 1)]);
}
