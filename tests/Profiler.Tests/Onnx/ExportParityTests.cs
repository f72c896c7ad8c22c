using Profiler.Backends.Onnx.Export;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Profiles;
using Profiler.Tasks.Network;
using Profiler.Tests.Profiles;
using Profiler.Tests.Search;
using Xunit.Abstractions;

namespace Profiler.Tests.Onnx;

/// <summary>
/// The shipped model exported under plans and run on ONNX Runtime against TorchSharp on 500 test questions: the
/// unreduced model to 1e-4 on every question, and a fresh random plan of each operator to 1e-4 wherever TorchSharp
/// itself is decided (away from near-ties), with no answer differing there.
/// </summary>
public sealed class ExportParityTests(ITestOutputHelper output) : IDisposable
{
    private const int Questions = 500;
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [ShippedCheckpointFact]
    public void Unreduced_export_matches_torch_on_every_question()
    {
        var report = Check(ReductionPlan.None, Questions);
        Assert.True(report.LargestLogitDifference <= ParityReport.Tolerance, $"largest logit difference {report.LargestLogitDifference:E2}");
        Assert.Equal(0, report.AnswersDiffering);
    }

    [ShippedCheckpointTheory]
    [InlineData(OperatorKind.Prune)]
    [InlineData(OperatorKind.Merge)]
    [InlineData(OperatorKind.Pool)]
    [InlineData(OperatorKind.Reweight)]
    public void Export_under_a_random_plan_matches_torch_away_from_near_ties(OperatorKind op)
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var layout = VqaModel.InputLayout;
        bool aligned = rng.Next(2) == 0;
        var plan = new ReductionPlan([new PlanStep(rng.Next(Layers), layout.ProtectedCount + rng.Next(1, layout.Reducible), op,
            aligned, aligned || op is OperatorKind.Prune or OperatorKind.Reweight ? Scores[rng.Next(Scores.Length)] : null)]);
        AssertParity(plan, seed, Questions);
    }

    [ShippedCheckpointFact]
    public void Export_under_a_random_two_step_plan_matches_torch_away_from_near_ties()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        var layout = VqaModel.InputLayout;
        OperatorKind[] ops = [OperatorKind.Prune, OperatorKind.Merge, OperatorKind.Pool, OperatorKind.Reweight];
        int first = rng.Next(Layers - 1), second = rng.Next(first + 1, Layers);
        var firstOp = ops[rng.Next(ops.Length)];
        var secondOp = ops[rng.Next(ops.Length)];
        int firstKeep = rng.Next(2, layout.Reducible);
        // A stand-alone reweight keeps every token (and the grid); the others keep their count, and pool then runs aligned.
        bool gridKept = firstOp == OperatorKind.Reweight;
        int secondIn = gridKept ? layout.Reducible : firstKeep;
        var plan = new ReductionPlan([
            new PlanStep(first, layout.ProtectedCount + firstKeep, firstOp, firstOp is not (OperatorKind.Prune or OperatorKind.Reweight), Scores[rng.Next(Scores.Length)]),
            new PlanStep(second, layout.ProtectedCount + rng.Next(1, secondIn), secondOp, secondOp == OperatorKind.Pool && !gridKept, Scores[rng.Next(Scores.Length)]),
        ]);
        AssertParity(plan, seed, 200);
    }

    [ShippedCheckpointFact]
    public void A_batched_export_on_two_threads_matches_torch()
    {
        // Merging 144 tokens to 37 at batch 16 sums across cells that ONNX Runtime splits over its threads.
        var plan = new ReductionPlan([new PlanStep(1, 40, OperatorKind.Merge)]);
        var report = Check(plan, 96, batch: 16, threads: 2);
        Assert.True(report.Passed, $"largest away from ties {report.LargestAwayFromTies:E2}, {report.AnswersDifferingAwayFromTies} answers differing");
    }

    [ShippedCheckpointFact]
    public void A_model_exported_under_another_plan_fails_the_check()
    {
        var exported = new ReductionPlan([new PlanStep(1, 75, OperatorKind.Prune, Score: ScoreKind.Norm)]);
        var compared = new ReductionPlan([new PlanStep(1, 75, OperatorKind.Prune, Score: ScoreKind.Cls)]);
        var report = Check(compared, 50, exportedPlan: exported);
        Assert.False(report.Passed, $"largest away from ties {report.LargestAwayFromTies:E2}");
        Assert.True(report.LargestAwayFromTies > 100 * ParityReport.Tolerance);
    }

    private static readonly ScoreKind?[] Scores = [ScoreKind.Norm, ScoreKind.Cls, ScoreKind.LastText];

    private static int Layers => Checkpoint.ReadInfo(Checkpoint.ShippedPath).Shape.Layers;

    private void AssertParity(ReductionPlan plan, int seed, int questions)
    {
        var report = Check(plan, questions);
        var message = $"seed {seed}, plan {plan.Describe()}: largest {report.LargestLogitDifference:E2} ({report.OverTolerance} over), "
            + $"{report.NearTies} near-ties, away from them {report.LargestAwayFromTies:E2} ({report.OverToleranceAwayFromTies} over) and {report.AnswersDifferingAwayFromTies} answers differing";
        output.WriteLine(message);
        // Noise finds most near-ties, not all: one in about thirty random plans had a question just over 1e-4 (1.2e-4)
        // that more draws of noise showed to be a tie. A fault in the export shows on most questions (the plan
        // swapped for another: every one), so the test allows one question in a hundred over 1e-4 away from ties.
        Assert.Equal(0, report.AnswersDifferingAwayFromTies);
        Assert.True(report.OverToleranceAwayFromTies <= questions / 100, message);
        Assert.True(report.LargestAwayFromTies <= 10 * ParityReport.Tolerance, message);
        // Near-ties are rare: a check that called most questions ties would prove nothing.
        Assert.True(report.NearTies <= questions / 10, message);
    }

    private ParityReport Check(ReductionPlan plan, int questions, ReductionPlan? exportedPlan = null, int batch = 1, int threads = 1)
    {
        TorchSharp.torch.set_num_threads(1);
        var (model, _) = Checkpoint.Load(Checkpoint.ShippedPath);
        using var _ = model;
        var path = folder.File("model.onnx");
        AtomicFile.Write(path, ModelExport.Build(model, exportedPlan ?? plan, batch).ToBytes());
        return ExportParity.Check(model, plan, path, questions, seed: 0, threads);
    }
}
