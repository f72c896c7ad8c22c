using Profiler.Operators;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Tasks.Training;

/// <summary>Accuracy of a model, optionally under a reduction plan, on generated questions.</summary>
public static class Evaluator
{
    /// <summary>Questions per forward pass.</summary>
    public const int BatchSize = 200;

    /// <summary>
    /// Accuracy with the model run reduced by <paramref name="plan"/> (its reductions made for this evaluation, a
    /// random score drawn from <paramref name="seed"/>), on <paramref name="count"/> questions of <paramref name="split"/>.
    /// </summary>
    public static AccuracyReport Evaluate(VqaModel model, ReductionPlan plan, Split split, int seed, int count)
    {
        var reductions = FixedReduction.ForPlan(plan, model.Shape.Layers, seed);
        try
        {
            return Evaluate(model, split, seed, count, reductions);
        }
        finally
        {
            foreach (var r in reductions) r?.Dispose();
        }
    }

    /// <summary>
    /// Each of <paramref name="plans"/> on the same <paramref name="count"/> test questions of seed
    /// <paramref name="seed"/>, in order; <paramref name="progress"/> hears the fraction of all the work done and the plan.
    /// </summary>
    public static IReadOnlyList<AccuracyReport> EvaluateEach(VqaModel model, IReadOnlyList<NamedPlan> plans, int seed, int count,
        Action<double, string>? progress = null)
    {
        var done = new List<AccuracyReport>();
        foreach (var named in plans)
        {
            var reductions = FixedReduction.ForPlan(named.Plan, model.Shape.Layers);
            try
            {
                done.Add(Evaluate(model, Split.Test, seed, count, reductions, n => progress?.Invoke((done.Count + (double)n / count) / plans.Count, named.Name)));
            }
            finally
            {
                foreach (var r in reductions) r?.Dispose();
            }
        }
        return done;
    }

    /// <summary>
    /// Accuracy on <paramref name="count"/> questions of <paramref name="split"/> with seed <paramref name="seed"/>.
    /// <paramref name="progress"/> receives the questions done so far.
    /// </summary>
    public static AccuracyReport Evaluate(VqaModel model, Split split, int seed, int count,
        IReadOnlyList<ILayerReduction?>? reductions = null, Action<int>? progress = null)
    {
        bool wasTraining = model.training;
        model.eval();
        var tally = new AccuracyTally();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < count; start += BatchSize)
            {
                int n = Math.Min(BatchSize, count - start);
                using var pause = GcPause.Begin();
                using var scope = NewDisposeScope();
                using var batch = Batch.From(SampleGenerator.Generate(split, seed, start, n));
                var predicted = model.Forward(batch.Patches, batch.Words, reductions).argmax(1).data<long>().ToArray();
                tally.Add(predicted, batch.Answers.data<long>().ToArray(), batch.Types);
                progress?.Invoke(start + n);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return tally.Report();
    }
}
