using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Tasks.Training;
using Spectre.Console;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>train</c>: trains the embedded task's model in a run folder, resumable (--resume continues a stopped run on
/// the same question stream and schedule; Ctrl+C saves the state first).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainSettings();
        var run = new Option<string>("--run") { Description = "Run folder: settings, state, best checkpoint and log.csv", DefaultValueFactory = _ => Path.Combine("runs", "train-tiny") };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps of the whole schedule", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Questions per step", DefaultValueFactory = _ => defaults.BatchSize };
        var rate = new Option<double>("--lr") { Description = "Peak learning rate (AdamW; linear warm-up, cosine decay)", DefaultValueFactory = _ => defaults.LearningRate };
        var seed = new Option<int>("--seed") { Description = "Seed of the training questions and the initial weights", DefaultValueFactory = _ => defaults.Seed };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations and saves", DefaultValueFactory = _ => defaults.ValidateEvery };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --run from its last saved state" };
        var force = new Option<bool>("--force") { Description = "Start over in a --run folder that already holds a run" };
        var json = CommonOptions.Json();
        var command = new Command("train", "Train the embedded task's tiny multimodal transformer (resumable)")
            { run, steps, batch, rate, seed, validateEvery, threads, resume, force, json };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            int threadCount = InputCheck.Positive(result.GetValue(threads), "--threads");
            TorchSharp.torch.set_num_threads(threadCount);
            var folder = result.GetValue(run)!;
            using var trainer = result.GetValue(resume)
                ? Trainer.Resume(folder)
                : Trainer.Start(folder, Settings(result, steps, batch, rate, seed, validateEvery), Preset.Tiny.Shape, result.GetValue(force));
            if (trainer.Step > 0) Console.Error.WriteLine($"resuming {folder} at step {trainer.Step} of {trainer.Settings.Steps}");

            var (last, stopped) = Interrupt.Run(stop => ProgressDisplay.Track($"training {trainer.Settings.Steps} steps", report =>
                trainer.Run(p => report((double)p.Step / p.Steps, TrainTables.Describe(p)), stop)));
            TrainTables.Report(folder, trainer, last, result.GetValue(json));
            if (stopped)
            {
                Console.Error.WriteLine($"stopped at step {last.Step}: the state is saved in {folder}; run train --run {folder} --resume to continue");
                return CommandLine.Interrupted;
            }
            return CommandLine.Success;
        }));
        return command;
    }

    private static TrainSettings Settings(ParseResult result, Option<int> steps, Option<int> batch, Option<double> rate, Option<int> seed, Option<int> validateEvery)
    {
        var s = new TrainSettings() with
        {
            Steps = result.GetValue(steps), BatchSize = result.GetValue(batch), LearningRate = result.GetValue(rate), Seed = result.GetValue(seed), ValidateEvery = result.GetValue(validateEvery),
        };
        return (s with { WarmupSteps = Math.Min(s.WarmupSteps, s.Steps / 4) }).Validated();
    }
}
