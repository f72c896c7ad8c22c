using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>A plan and the runtime it was searched for (null: none in particular).</summary>
public sealed record RuntimePlan(string Name, ReductionPlan Plan, string? MadeFor)
{
    /// <summary>"NAME=FILE" (a plan or a search result); NAME torch or onnx marks the plan searched for that runtime.</summary>
    public static RuntimePlan Parse(string text)
    {
        int at = text.IndexOf('=');
        if (at <= 0 || at == text.Length - 1) throw new Core.InputException($"--plan {Core.PrintableText.Line(text)}: give NAME=FILE, e.g. torch=runs/search-torch.json");
        var name = text[..at].Trim();
        var plan = ReductionPlan.Read(text[(at + 1)..].Trim());
        return new RuntimePlan(name, plan, BackendFactory.IsName(name.ToLowerInvariant()) ? name.ToLowerInvariant() : null);
    }
}

/// <summary>One plan measured on one runtime.</summary>
/// <param name="Plan">The plan's name.</param>
/// <param name="Backend">The runtime it ran on.</param>
/// <param name="Latency">Its forward, by the profiles' estimator.</param>
/// <param name="Share">Its time as a share of the same runtime's unreduced forward, paired round by round.</param>
/// <param name="VersusOwn">
/// Its time over the time of the plan searched for this runtime, paired round by round (null for that plan itself,
/// or where no plan was searched for this runtime): above 1, deploying this plan here costs that much more.
/// </param>
public sealed record CrossCell(string Plan, string Backend, LatencyEstimate Latency, PairedRatio Share, PairedRatio? VersusOwn);

/// <summary>Every plan on every runtime, with the plans' accuracies on the same test questions.</summary>
/// <param name="Plans">The plans, in the order given.</param>
/// <param name="Backends">The runtimes, in the order given.</param>
/// <param name="Cells">One per plan and runtime, plan-major.</param>
/// <param name="Unreduced">Each runtime's unreduced forward (same order as <paramref name="Backends"/>).</param>
/// <param name="Accuracy">Each plan's test accuracy (the export answers as the model does, so one per plan).</param>
/// <param name="AccuracyVersusFirst">Each plan's accuracy minus the first plan's, paired over the questions.</param>
public sealed record CrossReport(IReadOnlyList<RuntimePlan> Plans, IReadOnlyList<string> Backends, IReadOnlyList<CrossCell> Cells,
    IReadOnlyList<LatencyEstimate> Unreduced, IReadOnlyList<AccuracyReport> Accuracy, IReadOnlyList<PairedDifference> AccuracyVersusFirst)
{
    /// <summary>The cell of <paramref name="plan"/> on <paramref name="backend"/>.</summary>
    public CrossCell Cell(string plan, string backend) => Cells.Single(c => c.Plan == plan && c.Backend == backend);
}

/// <summary>
/// Plans searched for different runtimes, each measured on every runtime: on each runtime the unreduced model and all
/// plans run interleaved in one engine run (so drift hits them alike), and each plan is compared round by round with
/// the unreduced forward and with the plan searched for that runtime. A plan's accuracy does not depend on the runtime
/// (the export's parity with TorchSharp is checked by <c>export --check</c>), so each plan is evaluated once, on the
/// model, on the same questions as the others.
/// </summary>
public static class CrossRuntime
{
    /// <summary>Measures <paramref name="plans"/> on each of <paramref name="backends"/> and evaluates them on <paramref name="testCount"/> test questions.</summary>
    public static CrossReport Measure(VqaModel model, IReadOnlyList<RuntimePlan> plans, IReadOnlyList<string> backends, string device, int threads,
        EngineSettings settings, int testCount, int testSeed, Action<string>? say = null, Action<EngineProgress>? measuring = null)
    {
        if (plans.Count == 0) throw new InputException("give at least one plan");
        if (plans.Select(p => p.Name).Distinct().Count() != plans.Count) throw new InputException("give each plan its own name");
        var cells = new List<CrossCell>();
        var unreduced = new List<LatencyEstimate>();
        foreach (var backend in backends)
        {
            say?.Invoke($"measuring the unreduced model and {plans.Count} plan(s) on {backend} {device}");
            var measured = PlanLatency.Measure(model, [ReductionPlan.None, .. plans.Select(p => p.Plan)], device, threads, settings, measuring, backend);
            unreduced.Add(measured[0].Latency);
            int own = plans.ToList().FindIndex(p => p.MadeFor == backend);
            for (int i = 0; i < plans.Count; i++)
            {
                var m = measured[i + 1];
                var versus = own < 0 || own == i ? null : m.ShareOf(measured[own + 1]);
                cells.Add(new CrossCell(plans[i].Name, backend, m.Latency, m.ShareOf(measured[0]), versus));
            }
        }
        var accuracy = new List<AccuracyReport>();
        foreach (var plan in plans)
        {
            say?.Invoke($"testing {plan.Name} on {testCount} questions");
            accuracy.Add(Evaluator.Evaluate(model, plan.Plan, Split.Test, testSeed, testCount));
        }
        return new CrossReport(plans, backends, cells, unreduced, accuracy, accuracy.Select(a => a.Minus(accuracy[0])).ToList());
    }
}
