using Profiler.Operators.Reduction;

namespace Profiler.Search;

/// <summary>The loss that joins the task and the cost.</summary>
public enum SearchLoss
{
    /// <summary>CE + λ·max(0, E[cost]/target − 1): no pressure once under budget.</summary>
    Hinge,
    /// <summary>FBNet's CE·a·(log E[cost])^b, with the cost in µs (latency) or MFLOP (FLOPs) so the log is positive.</summary>
    Fbnet,
}

/// <summary>
/// How a search runs; every property has a default. <see cref="Target"/> is the budget in the cost's unit: a
/// <see cref="SearchRun"/> sets it per cost from its request's target, a direct call of <see cref="Searcher.Run"/> gives it.
/// </summary>
public sealed record SearchSettings
{
    /// <summary>The budget, in the cost's unit (ms or GFLOP); 0 until a run sets it.</summary>
    public double Target { get; init; }

    /// <summary>Hinge or FBNet form.</summary>
    public SearchLoss Loss { get; init; } = SearchLoss.Hinge;

    /// <summary>Weight of the hinge.</summary>
    public double Lambda { get; init; } = 4.0;

    /// <summary>FBNet's a.</summary>
    public double FbnetA { get; init; } = 1.0;

    /// <summary>FBNet's b.</summary>
    public double FbnetB { get; init; } = 0.6;

    /// <summary>Optimiser steps.</summary>
    public int Steps { get; init; } = 240;

    /// <summary>Training examples per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate on the search parameters.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Gumbel-softmax temperature at the first step.</summary>
    public double TemperatureStart { get; init; } = 2.0;

    /// <summary>Temperature at the last step (annealed geometrically).</summary>
    public double TemperatureEnd { get; init; } = 0.3;

    /// <summary>The score the reductions rank tokens by.</summary>
    public ScoreKind Score { get; init; } = ScoreKind.Norm;

    /// <summary>Seed of the search's training batches and Gumbel noise.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Train the model's weights jointly with the search parameters (on a copy of the model).</summary>
    public bool Finetune { get; init; }

    /// <summary>AdamW's learning rate on the model's weights when fine-tuning.</summary>
    public double FinetuneLearningRate { get; init; } = 1e-4;

    /// <summary>When fine-tuning, the steps each verified plan then trains on, run as it is discrete (<see cref="PlanFinetune"/>).</summary>
    public int FinetuneSteps { get; init; } = 300;

    /// <summary>Training examples per step of that plan fine-tuning.</summary>
    public int FinetuneBatchSize { get; init; } = 64;

    /// <summary>The temperature at <paramref name="step"/>.</summary>
    public double TemperatureAt(int step) =>
        TemperatureStart * Math.Pow(TemperatureEnd / TemperatureStart, Steps <= 1 ? 1 : (double)step / (Steps - 1));
}
