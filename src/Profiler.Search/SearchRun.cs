using Profiler.Core;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Forward;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;

namespace Profiler.Search;

/// <summary>
/// What a search run is asked to do. Every property has a default: <c>new SearchRequest()</c> searches a plan at 60% of
/// the unreduced model's latency, then verifies it and the baselines on this CPU as <c>profiler search</c> does.
/// </summary>
public sealed record SearchRequest
{
    /// <summary>Budget as a fraction of the unreduced model's cost; null with <see cref="TargetLatency"/>.</summary>
    public double? TargetFraction { get; init; } = 0.6;

    /// <summary>Absolute latency budget (set <see cref="TargetFraction"/> to null with it).</summary>
    public Latency? TargetLatency { get; init; }

    /// <summary>What the main search minimises; the baselines include a search with the other cost.</summary>
    public SearchCost Cost { get; init; } = SearchCost.Latency;

    /// <summary>Search settings (its Target is set per cost).</summary>
    public SearchSettings Settings { get; init; } = new();

    /// <summary>Test questions per verification, the same for every plan.</summary>
    public int TestCount { get; init; } = 4000;

    /// <summary>Seed of the test questions.</summary>
    public int TestSeed { get; init; }

    /// <summary>
    /// Validation questions each plan the search chooses between is evaluated on (the scores, the polish, the
    /// candidates, the fixed baselines); test questions are another split.
    /// </summary>
    public int ValidationCount { get; init; } = DefaultValidationCount;

    /// <summary>Device the plans are measured on.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Intra-op threads for the measurement.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Also run the fixed baselines and the search with the other cost.</summary>
    public bool Baselines { get; init; } = true;

    /// <summary>
    /// Measure the unreduced model and <see cref="SearchRun.FarReference"/>, then <see cref="SearchRun.CalibrationPlan"/>,
    /// on <see cref="Device"/> first and calibrate the latency predictions on them (<see cref="LatencyCost.Calibrate"/>):
    /// only when the surrogate was fitted on this device. Each run calibrates near its own budget.
    /// </summary>
    public bool Calibrate { get; init; }

    /// <summary>
    /// The scores the reductions may rank by (null: the settings' one). With more than one, each search runs once per
    /// score and keeps the plan with the best validation accuracy: an attention score often keeps the right tokens,
    /// and costs the unfused attention it forces, which the latency cost prices.
    /// </summary>
    public IReadOnlyList<ScoreKind>? Scores { get; init; }

    /// <summary>
    /// With a calibrated latency search, the one-operator plans of every layer (prune by each score, merge, pool, fitted
    /// to the budget) join the search's candidates, measured and ranked with them. The relaxed search alone settled in
    /// layer 0 (an aligned merge by CLS) at 45–75% in a sweep, 2.5–2.9 points under the fixed prune by last-text in
    /// layer 1 at 65% and 75%, whose plan its polish never reached.
    /// </summary>
    public bool GridCandidates { get; init; } = true;

    /// <summary>Bursts per plan when plans are measured (the engine's rounds).</summary>
    public int Rounds { get; init; } = DefaultRounds;

    /// <summary>
    /// Runtime the plans are measured on: <see cref="BackendFactory.Torch"/> runs the model, <see cref="BackendFactory.Onnx"/>
    /// its ONNX export of each plan.
    /// </summary>
    public string Backend { get; init; } = BackendFactory.Torch;

    /// <summary>
    /// Bursts per measured plan by default; every plan gets exactly this many, so that shares pair round by round.
    /// The machine's speed drifts over seconds, and a share settles only over a run long enough to average that out:
    /// measured here, three runs of the same four plans each, one plan's share spread over 60–73% at 40 rounds and
    /// over 67–69% at 120 (about 6 s per plan).
    /// </summary>
    public const int DefaultRounds = 120;

    /// <summary>
    /// Validation questions by default: about 3 s of evaluation per plan here, and a search evaluates dozens. With
    /// 1,000 (a standard error of about a point) a sweep chose an aligned merge over a prune, and norm over CLS and
    /// last-text, inside that noise, and each choice tested half a point under the fixed prune on 4,000 test
    /// questions; <c>search --validation</c> buys a finer choice with time.
    /// </summary>
    public const int DefaultValidationCount = 1000;

    /// <summary>Throws an <see cref="InputException"/> for a request without a budget or with two.</summary>
    public SearchRequest Validated() => (TargetFraction, TargetLatency) switch
    {
        (null, null) => throw new InputException("a search needs a budget: a fraction of the unreduced cost or a latency in ms"),
        ({ }, { }) => throw new InputException("give the budget as a fraction or as a latency in ms, not both"),
        _ => this,
    };
}

/// <summary>The outcome: the unreduced model and every method, verified; the main method first after the baseline.</summary>
/// <param name="Baseline">The unreduced model, verified like every plan.</param>
/// <param name="Methods">The searched plans and the baselines, verified.</param>
/// <param name="Target">The latency budget (as calibrated, where the target was a fraction).</param>
/// <param name="TargetGflops">The FLOPs budget (the same fraction of the unreduced model's FLOPs).</param>
/// <param name="PredictedFor">The device the surrogate was fitted for.</param>
/// <param name="MeasuredOn">The device the plans were measured on.</param>
/// <param name="History">The main search's steps.</param>
/// <param name="Offset">The calibration's offset added to every operator sum (0 when not calibrated).</param>
/// <param name="Scale">The calibration's scale of every prediction (1 when not calibrated).</param>
/// <param name="TargetFraction">The budget as a share of the unreduced model, when given as one.</param>
/// <param name="SearchSeconds">
/// Wall time of the main search: the calibration, the search with each score, the polish and the measure-and-correct
/// rounds (not the baselines nor the final verification).
/// </param>
public sealed record SearchReport(MethodResult Baseline, IReadOnlyList<MethodResult> Methods, Latency Target, double TargetGflops,
    string PredictedFor, string MeasuredOn, IReadOnlyList<SearchProgress> History, Latency Offset = default, double Scale = 1, double? TargetFraction = null,
    double SearchSeconds = 0)
{
    /// <summary>The main method: the search with the requested cost.</summary>
    public MethodResult Main => Methods[0];

    /// <summary><paramref name="method"/>'s accuracy minus the unreduced model's on the same questions (a drop is negative).</summary>
    public PairedDifference VersusUnreduced(MethodResult method) => method.Accuracy.Minus(Baseline.Accuracy);

    /// <summary>The main method's accuracy minus <paramref name="method"/>'s on the same questions.</summary>
    public PairedDifference MainVersus(MethodResult method) => Main.Accuracy.Minus(method.Accuracy);
}

/// <summary>Runs a search end to end: search, discretise, baselines, then accuracy and measured latency of every plan.</summary>
public static class SearchRun
{
    /// <summary>
    /// Runs <paramref name="request"/> with the model and costs given. With fine-tuning, each search trains its own
    /// copy of the model, its plan is tested with that copy (the baselines with the model as given), and the main
    /// search's copy goes to <paramref name="finetuned"/> before it is disposed.
    /// </summary>
    public static SearchReport Run(VqaModel model, LatencyCost latency, FlopsCost flops, SearchRequest request, Action<string>? say = null,
        Action<SearchProgress>? progress = null, Action<EngineProgress>? measuring = null, CancellationToken stop = default,
        Action<VqaModel>? finetuned = null)
    {
        request = request.Validated();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double searchSeconds = 0;
        var engine = new EngineSettings().WithExactRounds(request.Rounds);
        // Half the rounds, for the runs that only place or screen plans: the first calibration and the baselines' screen.
        var quick = new EngineSettings().WithExactRounds(Math.Max(request.Rounds / 2, new EngineSettings().MinRounds));
        // First on a reference far below the unreduced model, which fixes the offset well; then on one that this
        // first calibration predicts at the budget, where plans are chosen (see CalibrationPlan).
        if (request.Calibrate && CalibrateOn(model, latency, FarReference, request, quick, say, measuring))
        {
            var near = CalibrationPlan(latency, request.TargetFraction ?? request.TargetLatency!.Value.Milliseconds / latency.Of(ReductionPlan.None));
            CalibrateOn(model, latency, near, request, engine, say, measuring);
        }
        double unreducedMs = latency.Of(ReductionPlan.None), unreducedGflops = flops.Of(ReductionPlan.None);
        double targetMs = request.TargetLatency?.Milliseconds ?? request.TargetFraction!.Value * unreducedMs;
        double fraction = request.TargetFraction ?? targetMs / unreducedMs;
        double targetGflops = fraction * unreducedGflops;
        var space = SearchSpace.For(model);
        var scores = request.Scores ?? [request.Settings.Score];
        var budget = new MeasuredBudget(model, latency, request, targetMs, say, measuring);
        var all = new List<Method> { new("no reduction", ReductionPlan.None, null, Refit.None) };
        IReadOnlyList<SearchProgress> history = [];
        var costs = request.Cost == SearchCost.Flops ? new IPlanCost[] { flops, latency } : new IPlanCost[] { latency, flops };
        foreach (var cost in request.Baselines ? costs : costs.Take(1))
        {
            double target = cost == latency ? targetMs : targetGflops;
            var best = BestOverScores(model, cost, target, scores, request, space, say, progress, stop);
            var tried = new List<(ReductionPlan Plan, double Accuracy)>();
            // The polished plan is the most accurate of the plans the polish ran, so it heads the candidates.
            PlanPolish.Run(best.Weights ?? model, best.Plan, best.Accuracy, cost, target, scores, request.ValidationCount, request.TestSeed, say, tried);
            var candidates = PlanChoice.Top(tried, PlanChoice.Candidates);
            ReductionPlan? plan = null;
            IReadOnlyList<BudgetUse>? budgetUse = null;
            if (cost == latency && request.Calibrate)
            {
                // The polish chose by predicted cost; a plan the surrogate underprices may not fit once measured. Its
                // best few plans are measured together, corrected to the budget, and only those that meet it remain;
                // how much of the budget each used tells near-equals apart in the choice (PlanChoice.Pick).
                candidates = PlanChoice.WithSingleSteps(candidates);
                if (request.GridCandidates)
                    candidates = [.. candidates, .. FixedBaselines.Grid(space.Layers, latency, targetMs).SelectMany(g => g.Plans)
                        .Where(p => candidates.All(c => c.Describe() != p.Describe()))];
                say?.Invoke($"measuring the polish's best plans, the best one's single steps{(request.GridCandidates ? " and the one-operator plans of every layer" : "")} ({candidates.Count} plans) together against the budget");
                var (corrected, met, run) = budget.Meet(candidates, candidates.Select(_ => Refit.Free).ToList(), engine, MeasuredBudget.CorrectionRounds);
                var meeting = corrected.Select((p, i) => (Plan: p, Use: BudgetUse.Of(run[i + 1].ShareOf(run[0]), budget.WantedShare(run[0]))))
                    .Where((_, i) => met[i]).DistinctBy(c => c.Plan.Describe()).ToList();
                candidates = meeting.Select(c => c.Plan).ToList();
                budgetUse = meeting.Select(c => c.Use).ToList();
                if (candidates.Count == 0)
                {
                    say?.Invoke("none of them meets the measured budget: back to the searched plan");
                    (plan, _) = budget.Meet(best.Plan, engine);
                }
            }
            // Untrained and uncorrected, the polish's own ranking stands: its best plan is the choice.
            else if (best.Weights is null) candidates = candidates.Take(1).ToList();
            plan ??= PlanChoice.Best(best.Weights ?? model, candidates, train: best.Weights is not null, request, say, stop, budgetUse);
            if (all.Count == 1) (history, searchSeconds) = (best.Steps, clock.Elapsed.TotalSeconds);
            all.Add(new($"{cost.Name} search", plan, best.Weights, cost == latency ? Refit.Limited : Refit.None));
        }
        if (request.Baselines)
        {
            Func<IReadOnlyList<ReductionPlan>, IReadOnlyList<ReductionPlan?>>? screen = null;
            if (request.Calibrate) screen = plans => budget.Screen(plans, quick);
            foreach (var (name, plan) in FixedBaselines.Best(model, latency, targetMs, request.ValidationCount, request.TestSeed, say, screen))
                all.Add(new(name, plan, null, Refit.Free));
        }
        say?.Invoke($"measuring {all.Count} plans end to end on {request.Backend} {request.Device}");
        IReadOnlyList<ModelMeasurement> measured;
        if (request.Calibrate)
        {
            // The plans meet the budget in the run that is reported. The searched latency plan met it in its own
            // loop, and a refit here may cut its keep counts by 30% at most: the same plan's share moves by a few per
            // cent from one run to the next, and a free refit of a plan whose cost hardly falls with its keep counts
            // (the aligned merge) to such a miss once cut it from 17 tokens to 6, and its test accuracy to 66%.
            (var plans, _, measured) = budget.Meet(all.Skip(1).Select(p => p.Plan).ToList(), all.Skip(1).Select(p => p.AtEnd).ToList(),
                engine, MeasuredBudget.FinalRounds);
            for (int i = 0; i < plans.Length; i++) all[i + 1] = all[i + 1] with { Plan = plans[i] };
        }
        else measured = PlanLatency.Measure(model, all.Select(p => p.Plan).ToList(), request.Device, request.Threads, engine, measuring, request.Backend);
        // Weights do not change what a forward runs: the plans were measured with the model as given.
        if (request.Settings.Finetune) FinetunePlans(model, all, request.Settings, say, stop);
        var results = new List<MethodResult>();
        for (int i = 0; i < all.Count; i++)
        {
            var (name, plan, weights, _) = all[i];
            say?.Invoke($"testing {name} on {request.TestCount} questions");
            var accuracy = Evaluator.Evaluate(weights ?? model, plan, Split.Test, request.TestSeed, request.TestCount);
            if (weights is not null)
            {
                if (i == 1) finetuned?.Invoke(weights);
                weights.Dispose();
            }
            results.Add(new MethodResult(name, plan, accuracy, measured[i].Latency, measured[i].Converged,
                latency.Predict(plan), flops.Of(plan), VisualTokensAfter(plan), measured[i].ShareOf(measured[0])));
        }
        return new SearchReport(results[0], results.Skip(1).ToList(), Latency.FromMilliseconds(targetMs), targetGflops, latency.Device,
            measured[0].Fingerprint.HardwareKey, history, latency.Offset, latency.Scale, request.TargetFraction, searchSeconds);
    }

    /// <summary>
    /// The first reduced model the calibration measures beside the unreduced one: a prune by token norm after the
    /// first attention (free of the unfused attention that other scores force) to an eighth of the visual tokens.
    /// </summary>
    public static ReductionPlan FarReference { get; } = new([new PlanStep(0, VqaModel.InputLayout.ProtectedCount + VqaModel.InputLayout.Reducible / 8, OperatorKind.Prune, Score: ScoreKind.Norm)]);

    /// <summary>
    /// The second: the same prune keeping the most tokens whose predicted share of the unreduced model is
    /// <paramref name="fraction"/> (held to 30–75%: near the unreduced model the share is mostly noise), or
    /// <see cref="FarReference"/> when none fits. The calibration is exact at this plan, so it sits near the budget,
    /// where plans are chosen: the model's forward falls off faster with the tokens kept than the profile's operators,
    /// summed, do. Calibrated on the far reference alone, twelve plans near a 60% budget were predicted 4.1 points
    /// under their measured share on average (two prunes up to 8.5); calibrated near the budget, off by 1.7 on
    /// average and at most 3 (the aligned merge 4–6). Calibrated on this one alone, fitted by the uncalibrated sum,
    /// which sits far below the forward, a journey's calibration came out as +2.3 ms × 0.80: it fitted the fixed
    /// prunes to 13–14 tokens, and these measured 51–55% of the unreduced model.
    /// </summary>
    public static ReductionPlan CalibrationPlan(IPlanCost latency, double fraction) =>
        PlanPolish.FitToBudget(FarReference, latency, Math.Clamp(fraction, 0.3, 0.75) * latency.Of(ReductionPlan.None)) ?? FarReference;

    // Measures the unreduced model and the reference together and calibrates the predictions on them; false (and
    // said) when the reference did not measure faster.
    private static bool CalibrateOn(VqaModel model, LatencyCost latency, ReductionPlan reference, SearchRequest request, EngineSettings engine,
        Action<string>? say, Action<EngineProgress>? measuring)
    {
        say?.Invoke($"measuring the unreduced model and {reference.Describe()} on {request.Backend} {request.Device} to calibrate the predictions");
        var pair = PlanLatency.Measure(model, [ReductionPlan.None, reference], request.Device, request.Threads, engine, measuring, request.Backend);
        var unreduced = pair[0].Latency.Value;
        if (latency.Calibrate(unreduced, reference, unreduced * pair[1].ShareOf(pair[0]).Median)) return true;
        say?.Invoke("the reduced model did not measure faster than the unreduced one: predictions are offset by the unreduced forward alone");
        return false;
    }

    // A method to verify: its plan, its fine-tuned weights (null: the model's own), and how the final joint
    // measurement may still correct its plan to the latency budget.
    private sealed record Method(string Name, ReductionPlan Plan, VqaModel? Weights, Refit AtEnd);

    private sealed record Candidate(ReductionPlan Plan, VqaModel? Weights, IReadOnlyList<SearchProgress> Steps, double Accuracy);

    // One search per score; the plan with the best validation accuracy is kept (with its fine-tuned weights; the
    // others' are disposed), and that accuracy is where the polish starts.
    private static Candidate BestOverScores(VqaModel model, IPlanCost cost, double target, IReadOnlyList<ScoreKind> scores, SearchRequest request,
        SearchSpace space, Action<string>? say, Action<SearchProgress>? progress, CancellationToken stop)
    {
        Candidate? best = null;
        foreach (var score in scores)
        {
            say?.Invoke($"searching with the {cost.Name} cost, target {target:G4} {cost.Unit}, ranking by {score.Name()}");
            var tuned = request.Settings.Finetune ? PlanFinetune.Copy(model) : null;
            var settings = request.Settings with { Target = target, Score = score };
            var (parameters, steps) = Searcher.Run(tuned ?? model, cost, settings, space, progress, stop);
            var plan = Searcher.Discretise(parameters, cost, target, score, request.Settings.Loss == SearchLoss.Hinge);
            parameters.Dispose();
            double accuracy = Evaluator.Evaluate(tuned ?? model, plan, Split.Validation, request.TestSeed, request.ValidationCount).Accuracy;
            if (scores.Count > 1) say?.Invoke($"{cost.Name} search ranking by {score.Name()}: validation accuracy {accuracy:P1}");
            if (best is null || accuracy > best.Accuracy)
            {
                best?.Weights?.Dispose();
                best = new Candidate(plan, tuned, steps, accuracy);
            }
            else tuned?.Dispose();
        }
        return best!;
    }

    // Every plan, searched or fixed, trains the same steps on its discrete form, so that they are compared on equal
    // terms: the searches from the weights they were tuned jointly with, the fixed baselines from the model's own.
    private static void FinetunePlans(VqaModel model, List<Method> all, SearchSettings settings,
        Action<string>? say, CancellationToken stop)
    {
        for (int i = 1; i < all.Count; i++)
        {
            var (name, plan, weights, _) = all[i];
            weights ??= PlanFinetune.Copy(model);
            say?.Invoke($"fine-tuning {name} on its plan: {settings.FinetuneSteps} steps of {settings.FinetuneBatchSize} questions");
            PlanFinetune.Run(weights, plan, settings.FinetuneSteps, settings.FinetuneBatchSize, settings.FinetuneLearningRate, settings.Seed,
                step => { if (step % 50 == 0) say?.Invoke($"fine-tuning {name}: step {step}/{settings.FinetuneSteps}"); }, stop);
            all[i] = all[i] with { Name = name + " (fine-tuned)", Weights = weights };
        }
    }

    private static int VisualTokensAfter(ReductionPlan plan) =>
        plan.Steps.Count == 0 ? VqaModel.InputLayout.Reducible : plan.Steps.Max(s => (s.Layer, s.Keep)).Keep - VqaModel.InputLayout.ProtectedCount;
}
