using Profiler.Operators;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Search;

/// <summary>
/// Fine-tunes a model's weights on one discrete plan: the model runs physically reduced by the plan, as it will be
/// tested and measured, and AdamW trains every weight on the task loss (gradient norm clipped to 1, as in training).
/// A model whose tokens were cut in an early layer learns to carry what the later layers need in the tokens it keeps.
/// </summary>
public static class PlanFinetune
{
    /// <summary>Trains <paramref name="model"/> in place for <paramref name="steps"/> steps of <paramref name="batchSize"/> training questions.</summary>
    public static void Run(VqaModel model, ReductionPlan plan, int steps, int batchSize, double learningRate, int seed,
        Action<int>? progress = null, CancellationToken stop = default)
    {
        foreach (var p in model.parameters()) p.requires_grad = true;
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), learningRate);
        var reductions = FixedReduction.ForPlan(plan, model.Shape.Layers, seed);
        try
        {
            for (int step = 0; step < steps && !stop.IsCancellationRequested; step++)
            {
                using var pause = GcPause.Begin();
                using var scope = NewDisposeScope();
                using var batch = Batch.From(SampleGenerator.Generate(Split.Train, seed, (long)step * batchSize, batchSize));
                var logits = model.Forward(batch.Patches, batch.Words, reductions);
                var loss = nn.functional.cross_entropy(logits, batch.Answers);
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                progress?.Invoke(step + 1);
            }
        }
        finally
        {
            foreach (var r in reductions) r?.Dispose();
            foreach (var p in model.parameters()) p.requires_grad = false;
            model.eval();
        }
    }

    /// <summary>A copy of <paramref name="model"/> with its own weights, to fine-tune without touching the original.</summary>
    public static VqaModel Copy(VqaModel model)
    {
        var copy = new VqaModel(model.Shape);
        copy.load_state_dict(model.state_dict());
        return copy;
    }
}
