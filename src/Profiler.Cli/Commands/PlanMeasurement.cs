using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Engine;
using Profiler.Operators.Plans;
using Profiler.Search;
using Profiler.Tasks.Network;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>predict --model tiny --plan P --measure</c>: the task's model timed under the plan beside its unreduced forward,
/// in one run paired round by round (as the search verifies a plan), and the measured share of the unreduced model
/// set beside the predicted one. Shares are compared, not milliseconds: the surrogate sums the encoder layers, and
/// the task's forward also embeds the patches and the question and reads out the answer.
/// </summary>
internal static class PlanMeasurement
{
    public static void Measure(PredictRequest r, LatencySurrogate surrogate, ModelShape shape, int tokens, int batch, ReductionPlan plan,
        double predictedShare, Dictionary<string, object?> output, List<string> warnings)
    {
        using var model = Checkpoint.Load(r.Checkpoint ?? Checkpoint.ShippedPath).Model;
        int sequence = VqaModel.InputLayout.Count;
        if (model.Shape != shape || tokens != sequence || batch != 1)
            throw new InputException($"--measure with --plan runs the task's model: give --model tiny at its own shape ({model.Shape.Layers} layers, d={model.Shape.Hidden} h={model.Shape.Heads} m={model.Shape.MlpSize}), {sequence} tokens, batch 1");
        var backend = CommonOptions.PlanBackendOr(r.Backend, surrogate);
        var profiled = PredictRun.ProfiledHere(r, surrogate, warnings, backend);
        string what = backend == BackendFactory.Onnx ? "its ONNX export" : "the task's model";
        Console.Error.WriteLine($"measuring {what} unreduced and under {plan.Describe()} on {backend} {PrintableText.Of(profiled.Device)} with {profiled.Threads} threads, {r.Rounds} rounds…");
        var measured = PlanLatency.Measure(model, [ReductionPlan.None, plan], profiled.Device, profiled.Threads,
            new EngineSettings().WithExactRounds(r.Rounds), backend: backend);
        output["measuredOn"] = backend;
        var share = measured[1].ShareOf(measured[0]);
        output["measuredMs"] = measured[1].Latency.Value.Milliseconds;
        output["measuredUnreducedMs"] = measured[0].Latency.Value.Milliseconds;
        output["estimator"] = LatencyEstimate.Name;
        output["measuredShare"] = share.Median;
        output["measuredShareLow"] = share.Low;
        output["measuredShareHigh"] = share.High;
        output["predictedShare"] = predictedShare;
        output["shareErrorPoints"] = 100 * (predictedShare - share.Median);
    }
}
