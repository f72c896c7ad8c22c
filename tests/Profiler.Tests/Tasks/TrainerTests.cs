using Profiler.Core;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using Profiler.Tasks.Training;
using static TorchSharp.torch;

namespace Profiler.Tests.Tasks;

/// <summary>A stopped and resumed training ends where an uninterrupted one does; evaluation is repeatable.</summary>
public class TrainerTests
{
    private static readonly ModelShape Small = new(16, 2, 32, 2);

    [Fact]
    public void A_resumed_run_ends_with_the_weights_of_an_uninterrupted_one()
    {
        var settings = new TrainSettings(Steps: 6, BatchSize: 4, WarmupSteps: 2, Seed: Random.Shared.Next(1, 1000), ValidateEvery: 3, ValidationCount: 8);
        var whole = Folder();
        var stopped = Folder();
        try
        {
            using (var trainer = Trainer.Start(whole, settings, Small, force: false)) trainer.Run(null, CancellationToken.None);

            using (var cancel = new CancellationTokenSource())
            using (var trainer = Trainer.Start(stopped, settings, Small, force: false))
            {
                trainer.Run(p => { if (p.Step == 4) cancel.Cancel(); }, cancel.Token);
                Assert.Equal(4, trainer.Step);
            }
            using (var trainer = Trainer.Resume(stopped))
            {
                Assert.Equal(4, trainer.Step);
                trainer.Run(null, CancellationToken.None);
            }

            var (a, _) = Checkpoint.Load(Path.Combine(whole, "state.ckpt"));
            var (b, infoB) = Checkpoint.Load(Path.Combine(stopped, "state.ckpt"));
            using var _a = a;
            using var _b = b;
            Assert.Equal(6, infoB.Steps);
            foreach (var ((name, p), (_, q)) in a.named_parameters().Zip(b.named_parameters()))
                Assert.True(p.eq(q).all().item<bool>(), $"{name} differs");
            Assert.Equal(File.ReadAllLines(Path.Combine(whole, "log.csv")).Length, File.ReadAllLines(Path.Combine(stopped, "log.csv")).Length);
        }
        finally
        {
            Directory.Delete(whole, recursive: true);
            Directory.Delete(stopped, recursive: true);
        }
    }

    [Fact]
    public void A_run_folder_is_not_overwritten_without_force()
    {
        var folder = Folder();
        try
        {
            var settings = new TrainSettings(Steps: 1, BatchSize: 2, WarmupSteps: 0, ValidateEvery: 1, ValidationCount: 2);
            using (Trainer.Start(folder, settings, Small, force: false)) { }
            Assert.Throws<InputException>(() => Trainer.Start(folder, settings, Small, force: false));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Evaluating_twice_gives_the_same_accuracy()
    {
        manual_seed(Random.Shared.Next());
        using var model = new VqaModel(Small);
        int seed = Random.Shared.Next();
        var first = Evaluator.Evaluate(model, Split.Test, seed, 60);
        var second = Evaluator.Evaluate(model, Split.Test, seed, 60);
        Assert.Equal(first.Accuracy, second.Accuracy);
        Assert.Equal(first.PerType, second.PerType);
        Assert.Equal(60, first.Count);
    }

    private static string Folder() => Path.Combine(Path.GetTempPath(), $"train-{Guid.NewGuid():N}");
}
