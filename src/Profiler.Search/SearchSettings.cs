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

/// <summary>How a search runs.</summary>
/// <param name="Target">The budget, in the cost's unit (ms or GFLOP).</param>
/// <param name="Loss">Hinge or FBNet form.</param>
/// <param name="Lambda">Weight of the hinge.</param>
/// <param name="FbnetA">FBNet's a.</param>
/// <param name="FbnetB">FBNet's b.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="BatchSize">Training questions per step.</param>
/// <param name="LearningRate">Adam's learning rate on the search parameters.</param>
/// <param name="TemperatureStart">Gumbel-softmax temperature at the first step.</param>
/// <param name="TemperatureEnd">Temperature at the last step (annealed geometrically).</param>
/// <param name="Score">The score the reductions rank tokens by.</param>
/// <param name="Seed">Seed of the search's questions and Gumbel noise.</param>
/// <param name="Finetune">Train the model's weights jointly with the search parameters (on a copy of the model).</param>
/// <param name="FinetuneLearningRate">AdamW's learning rate on the model's weights when fine-tuning.</param>
/// <param name="FinetuneSteps">When fine-tuning, the steps each verified plan then trains on, run as it is discrete (<see cref="PlanFinetune"/>).</param>
/// <param name="FinetuneBatchSize">Training questions per step of that plan fine-tuning.</param>
public sealed record SearchSettings(
    double Target,
    SearchLoss Loss = SearchLoss.Hinge,
    double Lambda = 4.0,
    double FbnetA = 1.0,
    double FbnetB = 0.6,
    int Steps = 240,
    int BatchSize = 32,
    double LearningRate = 0.05,
    double TemperatureStart = 2.0,
    double TemperatureEnd = 0.3,
    ScoreKind Score = ScoreKind.Norm,
    int Seed = 7,
    bool Finetune = false,
    double FinetuneLearningRate = 1e-4,
    int FinetuneSteps = 300,
    int FinetuneBatchSize = 64)
{
    /// <summary>The temperature at <paramref name="step"/>.</summary>
    public double TemperatureAt(int step) =>
        TemperatureStart * Math.Pow(TemperatureEnd / TemperatureStart, Steps <= 1 ? 1 : (double)step / (Steps - 1));
}
