using System.Diagnostics;
using System.Text.Json;
using Profiler.Core;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Tasks.Training;

/// <summary>
/// Trains the model in a run folder that holds everything a resumed run needs: <c>settings.json</c>,
/// <c>state.ckpt</c> (weights, optimiser state, step; saved at every validation and when stopped),
/// <c>best.ckpt</c> (the best validation accuracy so far) and <c>log.csv</c> (accuracy over time). Step i always
/// trains on questions i·B … (i+1)·B − 1 of the training stream, so a run stopped and resumed sees the same data
/// as one that never stopped.
/// </summary>
public sealed class Trainer : IDisposable
{
    private const int RecentSteps = 50;
    private readonly string folder;
    private readonly VqaModel model;
    private readonly OptimizerHelper optimizer;
    private readonly TrainingLog log;
    private CheckpointInfo info;
    private double bestValidation;

    private Trainer(string folder, TrainSettings settings, VqaModel model, OptimizerHelper optimizer, CheckpointInfo info)
    {
        this.folder = folder;
        Settings = settings;
        this.model = model;
        this.optimizer = optimizer;
        this.info = info;
        log = new TrainingLog(Path.Combine(folder, "log.csv"));
        log.TruncateAfter(info.Steps);
        bestValidation = File.Exists(BestPath) ? Checkpoint.ReadInfo(BestPath).ValidationAccuracy ?? 0 : 0;
    }

    /// <summary>The settings of this run (a resumed run keeps the ones it started with).</summary>
    public TrainSettings Settings { get; }

    /// <summary>Steps done.</summary>
    public long Step => info.Steps;

    /// <summary>The checkpoint with the best validation accuracy.</summary>
    public string BestPath => Path.Combine(folder, "best.ckpt");

    private string StatePath => StateFile(folder);

    private static string StateFile(string folder) => Path.Combine(folder, "state.ckpt");

    private static string SettingsPath(string folder) => Path.Combine(folder, "settings.json");

    /// <summary>Starts a new run in <paramref name="folder"/>; a folder that already holds a run needs <paramref name="force"/>.</summary>
    public static Trainer Start(string folder, TrainSettings settings, ModelShape shape, bool force)
    {
        settings.Validated();
        if (File.Exists(SettingsPath(folder)) && !force)
            throw new InputException($"{folder} already holds a training run; use --resume to continue it or --force to start over");
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "state.ckpt", "best.ckpt", "log.csv" }) File.Delete(Path.Combine(folder, file));
        AtomicFile.Write(SettingsPath(folder), JsonSerializer.SerializeToUtf8Bytes(new RunFile(settings, shape), new JsonSerializerOptions { WriteIndented = true }));
        manual_seed(settings.Seed);
        var model = new VqaModel(shape);
        return new Trainer(folder, settings, model, CreateOptimizer(model, settings), new CheckpointInfo(shape, 0, 0, 0, null, Describe(settings)));
    }

    /// <summary>Resumes the run in <paramref name="folder"/> from its last saved state.</summary>
    public static Trainer Resume(string folder)
    {
        var settingsPath = SettingsPath(folder);
        if (!File.Exists(settingsPath)) throw new InputException($"{folder} holds no training run to resume (no settings.json)");
        RunFile run;
        try
        {
            run = JsonSerializer.Deserialize<RunFile>(File.ReadAllText(settingsPath)) ?? throw new InputException($"{settingsPath}: empty");
            run.Settings.Validated();
            run.Shape.Validated();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InputException or NullReferenceException)
        {
            throw new InputException($"{settingsPath}: not training settings ({e.Message.ReplaceLineEndings(" ")})");
        }
        var statePath = StateFile(folder);
        if (!File.Exists(statePath))
        {
            // Stopped before its first save: start the same run again from step 0.
            return Start(folder, run.Settings, run.Shape, force: true);
        }
        var settings = run.Settings;
        OptimizerHelper? optimizer = null;
        var (model, info) = Checkpoint.Load(statePath, m => optimizer = CreateOptimizer(m, settings));
        return new Trainer(folder, settings, model, optimizer!, info);
    }

    /// <summary>
    /// Trains until the last step or until <paramref name="stop"/> is signalled; either way the state is saved, so
    /// <see cref="Resume"/> continues from here. Returns the latest progress.
    /// </summary>
    public TrainingProgress Run(Action<TrainingProgress>? progress, CancellationToken stop)
    {
        model.train();
        var clock = Stopwatch.StartNew();
        double startSeconds = info.TrainingSeconds;
        var recentLoss = new Queue<double>();
        var recent = new Queue<(long[] Predicted, long[] Answers, QuestionType[] Types)>();
        AccuracyReport? validation = null;
        TrainingProgress Current() => new(info.Steps, Settings.Steps, recentLoss.DefaultIfEmpty(double.NaN).Average(),
            Tally(recent), validation, startSeconds + clock.Elapsed.TotalSeconds);

        while (info.Steps < Settings.Steps && !stop.IsCancellationRequested)
        {
            long step = info.Steps;
            double rate = Settings.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            double loss;
            using (var scope = NewDisposeScope())
            {
                using var batch = Batch.From(SampleGenerator.Generate(Split.Train, Settings.Seed, step * Settings.BatchSize, Settings.BatchSize));
                var logits = model.forward(batch.Patches, batch.Words);
                var lossTensor = nn.functional.cross_entropy(logits, batch.Answers);
                optimizer.zero_grad();
                lossTensor.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                loss = lossTensor.item<float>();
                Remember(recent, (logits.argmax(1).data<long>().ToArray(), batch.Answers.data<long>().ToArray(), batch.Types));
            }
            Remember(recentLoss, loss);
            info = info with { Steps = step + 1, Questions = (step + 1) * Settings.BatchSize, TrainingSeconds = startSeconds + clock.Elapsed.TotalSeconds };
            if (info.Steps % Settings.ValidateEvery == 0 || info.Steps == Settings.Steps)
            {
                validation = Evaluator.Evaluate(model, Split.Validation, Settings.Seed, Settings.ValidationCount);
                var current = Current();
                log.Add(info.Steps, info.Questions, current.Seconds, rate, current.Loss, current.Recent.Accuracy, validation);
                Save(validation.Accuracy);
            }
            progress?.Invoke(Current());
        }
        if (info.Steps % Settings.ValidateEvery != 0 && info.Steps < Settings.Steps)
        {
            info = info with { TrainingSeconds = startSeconds + clock.Elapsed.TotalSeconds };
            Checkpoint.Save(StatePath, model, info, optimizer);
        }
        return Current();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }

    private void Save(double validationAccuracy)
    {
        info = info with { ValidationAccuracy = validationAccuracy };
        Checkpoint.Save(StatePath, model, info, optimizer);
        if (validationAccuracy >= bestValidation)
        {
            bestValidation = validationAccuracy;
            Checkpoint.Save(BestPath, model, info);
        }
    }

    /// <summary>What settings.json holds.</summary>
    private sealed record RunFile(TrainSettings Settings, ModelShape Shape);

    private static OptimizerHelper CreateOptimizer(VqaModel model, TrainSettings settings) =>
        optim.AdamW(model.parameters(), settings.LearningRate, weight_decay: settings.WeightDecay);

    private static string Describe(TrainSettings s) =>
        $"AdamW lr {s.LearningRate:G3} (warm-up {s.WarmupSteps}, cosine to 10%), weight decay {s.WeightDecay:G3}, batch {s.BatchSize}, {s.Steps} steps, seed {s.Seed}";

    private static void Remember<T>(Queue<T> queue, T item)
    {
        queue.Enqueue(item);
        if (queue.Count > RecentSteps) queue.Dequeue();
    }

    private static AccuracyReport Tally(IEnumerable<(long[] Predicted, long[] Answers, QuestionType[] Types)> batches)
    {
        var tally = new AccuracyTally();
        foreach (var (p, a, t) in batches) tally.Add(p, a, t);
        return tally.Report();
    }
}
