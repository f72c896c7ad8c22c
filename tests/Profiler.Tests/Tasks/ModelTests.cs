using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Tests.Tasks;

/// <summary>The model's forward with and without plans, and its checkpoint.</summary>
public class ModelTests
{
    private static readonly ModelShape Small = new(32, 2, 64, 3);

    [Theory]
    [InlineData(OperatorKind.Prune, ScoreKind.Norm, false)]
    [InlineData(OperatorKind.Prune, ScoreKind.Cls, false)]
    [InlineData(OperatorKind.Prune, null, true)]
    [InlineData(OperatorKind.Merge, null, false)]
    [InlineData(OperatorKind.Pool, null, false)]
    [InlineData(OperatorKind.Reweight, ScoreKind.Norm, false)]
    public void A_plan_keeps_the_output_shape(OperatorKind op, ScoreKind? score, bool random)
    {
        using var scope = NewDisposeScope();
        int seed = Random.Shared.Next();
        manual_seed(seed);
        using var model = new VqaModel(Small);
        model.eval();
        using var batch = Batch.From(SampleGenerator.Generate(Split.Test, seed, 0, 5));
        var plain = model.forward(batch.Patches, batch.Words);
        Assert.Equal([5L, Vocabulary.Answers.Count], plain.shape);
        var plan = new ReductionPlan([new PlanStep(1, 3 + 36, op, Score: score, RandomScore: random)]);
        var reduced = model.Forward(batch.Patches, batch.Words, FixedReduction.ForPlan(plan, Small.Layers));
        Assert.Equal(plain.shape, reduced.shape);
        Assert.False(reduced.isnan().any().item<bool>(), $"seed {seed}: NaN in the reduced logits");
    }

    [Theory]
    [InlineData(OperatorKind.Prune, ScoreKind.Norm)]
    [InlineData(OperatorKind.Prune, ScoreKind.Cls)]
    [InlineData(OperatorKind.Merge, null)]
    [InlineData(OperatorKind.Pool, null)]
    [InlineData(OperatorKind.Reweight, ScoreKind.Norm)]
    public void Keeping_every_token_gives_the_logits_of_no_plan(OperatorKind op, ScoreKind? score)
    {
        using var scope = NewDisposeScope();
        int seed = Random.Shared.Next();
        manual_seed(seed);
        using var model = new VqaModel(Small);
        model.eval();
        using var batch = Batch.From(SampleGenerator.Generate(Split.Test, seed, 0, 4));
        var plain = model.forward(batch.Patches, batch.Words);
        var all = VqaModel.InputLayout.Count;
        var plan = new ReductionPlan([new PlanStep(0, all, op, Score: score), new PlanStep(2, all, op, Score: score)]);
        var kept = model.Forward(batch.Patches, batch.Words, FixedReduction.ForPlan(plan, Small.Layers));
        Assert.True(allclose(plain, kept, rtol: 1e-5, atol: 1e-6), $"seed {seed}: max difference {(plain - kept).abs().max().item<float>()}");
    }

    [Fact]
    public void A_checkpoint_reloads_to_identical_outputs()
    {
        using var scope = NewDisposeScope();
        int seed = Random.Shared.Next();
        manual_seed(seed);
        using var model = new VqaModel(Small);
        model.eval();
        var path = Path.Combine(Path.GetTempPath(), $"vqa-{Guid.NewGuid():N}.ckpt");
        try
        {
            var info = new CheckpointInfo(Small, 12, 768, 3.5, 0.4, "test");
            Checkpoint.Save(path, model, info);
            var (loaded, readInfo) = Checkpoint.Load(path);
            using var _ = loaded;
            loaded.eval();
            Assert.Equal(info, readInfo);
            using var batch = Batch.From(SampleGenerator.Generate(Split.Test, seed, 0, 6));
            var a = model.forward(batch.Patches, batch.Words);
            var b = loaded.forward(batch.Patches, batch.Words);
            Assert.True(a.eq(b).all().item<bool>(), $"seed {seed}: the reloaded model's outputs differ");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_bad_input()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vqa-{Guid.NewGuid():N}.ckpt");
        try
        {
            File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
            var e = Assert.Throws<InputException>(() => Checkpoint.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Throws<InputException>(() => Checkpoint.Load(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_impossible_plan_step_is_bad_input()
    {
        Assert.Throws<InputException>(() => FixedReduction.ForPlan(new ReductionPlan([new PlanStep(5, 40, OperatorKind.Prune, Score: ScoreKind.Norm)]), 3));
        Assert.Throws<InputException>(() => new FixedReduction(new PlanStep(0, 40, OperatorKind.Prune)));
        Assert.Throws<InputException>(() => new FixedReduction(new PlanStep(0, 40, OperatorKind.Attention)));
    }

    [Fact]
    public void The_tiny_preset_describes_this_model()
    {
        Assert.Equal(Preset.Tiny.VisualTokens, VqaModel.InputLayout.Reducible);
        Assert.Equal(Preset.Tiny.ProtectedTokens, VqaModel.InputLayout.ProtectedCount);
    }
}
