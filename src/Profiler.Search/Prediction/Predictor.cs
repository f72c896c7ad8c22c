using System.Globalization;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Engine;
using Profiler.Measurement.Forward;
using Profiler.Tasks.Network;
using Profiler.Operators.Plans;
using Profiler.Profiles;
using static TorchSharp.torch;

namespace Profiler.Search.Prediction;

/// <summary>What a prediction gave: its fields (as <c>predict --json</c> writes them), the transfer decided, and warnings.</summary>
/// <param name="Fields">Named values in output order; null where a value does not apply.</param>
/// <param name="Transfer">How the surrogate was fitted to this machine, with the lines to say.</param>
/// <param name="Warnings">Warnings, a line each.</param>
public sealed record PredictOutcome(Dictionary<string, object?> Fields, SurrogateTransferChoice Transfer, IReadOnlyList<string> Warnings);

/// <summary>
/// The <c>predict</c> entry point: fingerprint checks, the surrogate's value and gradient of one operator or a whole
/// model (<see cref="OperatorPrediction"/>, <see cref="ModelPrediction"/>), and the optional measurement beside it.
/// </summary>
public static class Predictor
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// Carries out <paramref name="request"/>: the surrogate (transferred to this machine where its reference suite
    /// says so), the prediction, and with <see cref="PredictRequest.Measure"/> the measurement beside it;
    /// <paramref name="say"/> hears what is being measured. Bad input is an <see cref="InputException"/>.
    /// </summary>
    public static PredictOutcome Run(PredictRequest request, Action<string>? say = null)
    {
        var loaded = LatencySurrogate.Load(request.Surrogate);
        _ = BackendFactory.NameOr(request.Backend, loaded); // a bad --backend is refused before any work
        var warnings = new List<string>();
        if (request.Profile is { } profilePath)
        {
            var profile = ProfileReader.Read(profilePath);
            AddIf(warnings, loaded.CheckFingerprint(profile.Fingerprint, $"the profile {profilePath}", request.AllowMismatch));
            if (profile.ContentHash != loaded.Document.Profile.ContentHash)
                warnings.Add($"the surrogate was fitted on another profile ({loaded.Document.Profile.Path}) than {profilePath}; refit to use the newer measurements");
        }
        var transfer = SurrogateTransferChoice.Make(loaded, request.NoTransfer, request.Strict);
        var surrogate = transfer.Surrogate;
        using var scope = NewDisposeScope();
        var fields = request.Operator is not null ? Operator(request, surrogate, warnings) : Model(request, surrogate, warnings, say);
        fields["transfer"] = surrogate.Transfer is { } factors
            ? string.Create(C, $"per call ×{factors.PerCall:0.000}, work ×{factors.Work:0.000} ({transfer.Comparison?.Verdict.Words()})")
            : null;
        return new PredictOutcome(fields, transfer, warnings);
    }

    private static Dictionary<string, object?> Operator(PredictRequest r, LatencySurrogate surrogate, List<string> warnings)
    {
        var key = ModelKey.Parse(r.Operator!);
        var model = surrogate.Model(key);
        var profiled = model.Shapes[0];
        var sizes = new ModelShape(r.Hidden ?? profiled.Hidden, r.Heads ?? profiled.Heads, r.MlpSize ?? profiled.MlpSize, 1).Validated();
        var shape = new CaseShape(key, sizes.Hidden, sizes.Heads, sizes.MlpSize, InputCheck.Positive(r.Batch ?? profiled.Batch, "--batch"), profiled.DType);
        double tokensIn = r.Tokens is { } t && t >= 1 && double.IsFinite(t) ? t : throw new InputException("--tokens must be a number of at least 1");
        double tokensOut = tokensIn;
        if (shape.IsReduction)
        {
            tokensOut = r.TokensOut ?? throw new InputException($"{key.Name} is a reduction: give --tokens-out");
            if (!(tokensOut >= 1 && tokensOut <= tokensIn)) throw new InputException($"--tokens-out must be in 1..{tokensIn}");
        }
        else if (r.TokensOut is { } o && o != tokensIn)
        {
            throw new InputException($"{key.Name} keeps every token: --tokens-out must equal --tokens or be left out");
        }
        var prediction = OperatorPrediction.Of(surrogate, key, shape, tokensIn, tokensOut);
        AddIf(warnings, prediction.Extrapolation);
        return new Dictionary<string, object?>
        {
            ["latencyMs"] = prediction.Latency.Milliseconds,
            ["operator"] = key.Name,
            ["regressor"] = prediction.Regressor,
            ["tokens"] = tokensIn,
            ["tokensOut"] = shape.IsReduction ? tokensOut : null,
            ["shape"] = shape.Sizes,
            ["gradientMsPerToken"] = prediction.MsPerToken,
            ["gradientMsPerTokenOut"] = prediction.MsPerTokenOut,
            ["fittedModelMs"] = prediction.Fitted?.Milliseconds,
            ["warnings"] = warnings,
        };
    }

    private static Dictionary<string, object?> Model(PredictRequest r, LatencySurrogate surrogate, List<string> warnings, Action<string>? say)
    {
        var preset = Preset.Parse(r.Model!);
        var shape = new ModelShape(r.Hidden ?? preset.Shape.Hidden, r.Heads ?? preset.Shape.Heads, r.MlpSize ?? preset.Shape.MlpSize, preset.Shape.Layers).Validated();
        int batch = InputCheck.Positive(r.Batch ?? 1, "--batch");
        double requested = r.Tokens ?? preset.VisualTokens + preset.ProtectedTokens;
        if (requested < 1 || requested != Math.Floor(requested)) throw new InputException("--tokens for a model must be a whole number of at least 1");
        int tokens = (int)requested;
        var plan = r.Plan is null ? ReductionPlan.None : ReductionPlan.Read(r.Plan);
        var prediction = ModelPrediction.Of(surrogate, preset, shape, tokens, batch, plan);
        double predictedMs = prediction.Latency.Milliseconds;
        var output = new Dictionary<string, object?>
        {
            ["latencyMs"] = predictedMs,
            ["model"] = preset.Name,
            ["shape"] = $"{shape.Layers} layers, d={shape.Hidden} h={shape.Heads} m={shape.MlpSize} b={batch}",
            ["tokens"] = tokens,
            ["sum"] = prediction.Sum,
            ["gradientMsPerToken"] = prediction.MsPerToken,
            ["layers"] = prediction.Layers.Select(l => new
            {
                layer = l.Layer, attentionTokens = l.AttentionTokens, mlpTokens = l.MlpTokens, latencyMs = l.Latency.Milliseconds,
            }).ToList(),
        };
        if (prediction.CalibrationFactor is { } factor)
        {
            output["calibrationFactor"] = factor;
            output["uncalibratedMs"] = predictedMs / factor;
        }
        else
        {
            warnings.Add($"no calibration for {preset.Name} in the surrogate: this is the plain sum of operators timed alone (fit --calibrate {preset.Name} on the profiled machine adds one)");
        }
        if (prediction.BlockSum is { } blockSum) output["blockSumMs"] = blockSum.Milliseconds;
        if (r.Measure && plan.Steps.Count > 0)
            MeasurePlan(r, surrogate, shape, tokens, batch, plan, prediction.Share, output, warnings, say);
        else if (r.Measure) Measure(r, surrogate, shape, tokens, batch, predictedMs, output, warnings, say);
        output["warnings"] = warnings;
        return output;
    }

    private static void Measure(PredictRequest r, LatencySurrogate surrogate, ModelShape shape, int tokens, int batch,
        double predictedMs, Dictionary<string, object?> output, List<string> warnings, Action<string>? say)
    {
        var profiled = ProfiledHere(r, surrogate, warnings);
        say?.Invoke($"measuring the forward of {shape.Layers} encoder blocks at {tokens} tokens on {PrintableText.Of(profiled.Device)} with {profiled.Threads} threads…");
        var measured = ModelForwardMeasurement.Measure(shape, tokens, batch, profiled.Device, profiled.Threads);
        double measuredMs = measured.Latency.Value.Milliseconds;
        output["measuredMs"] = measuredMs;
        output["measuredLowMs"] = measured.Latency.Low?.Milliseconds;
        output["measuredHighMs"] = measured.Latency.High?.Milliseconds;
        output["measuredMedianMs"] = measured.Statistics.Median.Milliseconds;
        output["estimator"] = LatencyEstimate.Name;
        output["errorPercent"] = 100 * (predictedMs / measuredMs - 1);
        if (output.TryGetValue("blockSumMs", out var blockSum) && blockSum is double b)
            output["blockSumErrorPercent"] = 100 * (b / measuredMs - 1);
        if (!measured.Converged) warnings.Add("the measured forward did not reach its ±2% confidence target (a busy machine, or too few rounds?)");
    }

    /// <summary>
    /// <c>--model tiny --plan P --measure</c>: the task's model timed under the plan beside its unreduced forward, in
    /// one run paired round by round (as the search verifies a plan), and the measured share of the unreduced model
    /// set beside the predicted one. Shares are compared, not milliseconds: the surrogate sums the encoder layers, and
    /// the task's forward also embeds the patches and the question and reads out the answer.
    /// </summary>
    private static void MeasurePlan(PredictRequest r, LatencySurrogate surrogate, ModelShape shape, int tokens, int batch, ReductionPlan plan,
        double predictedShare, Dictionary<string, object?> output, List<string> warnings, Action<string>? say)
    {
        using var model = Checkpoint.Load(r.Checkpoint ?? Checkpoint.ShippedPath).Model;
        int sequence = VqaModel.InputLayout.Count;
        if (model.Shape != shape || tokens != sequence || batch != 1)
            throw new InputException($"--measure with --plan runs the task's model: give --model tiny at its own shape ({model.Shape.Layers} layers, d={model.Shape.Hidden} h={model.Shape.Heads} m={model.Shape.MlpSize}), {sequence} tokens, batch 1");
        var backend = BackendFactory.NameOr(r.Backend, surrogate);
        var profiled = ProfiledHere(r, surrogate, warnings, backend);
        string what = backend == BackendFactory.Onnx ? "its ONNX export" : "the task's model";
        say?.Invoke($"measuring {what} unreduced and under {plan.Describe()} on {backend} {PrintableText.Of(profiled.Device)} with {profiled.Threads} threads, {r.Rounds} rounds…");
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

    /// <summary>
    /// The fingerprint the surrogate was profiled with, where a measurement runs on its device and threads, once this
    /// machine, measuring on <paramref name="backend"/>, is checked against it (refused on other hardware unless
    /// --allow-mismatch, which adds a warning).
    /// </summary>
    private static Fingerprint ProfiledHere(PredictRequest r, LatencySurrogate surrogate, List<string> warnings, string backend = BackendFactory.Torch)
    {
        var profiled = surrogate.Document.Profile.Fingerprint;
        var here = PlanLatency.Fingerprint(backend, profiled.Device, profiled.Threads);
        AddIf(warnings, surrogate.CheckFingerprint(here, "this machine", r.AllowMismatch));
        return profiled;
    }

    private static void AddIf(List<string> list, string? item)
    {
        if (item is not null) list.Add(item);
    }
}
