using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.ModelLevel;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Forward;
using Profiler.Operators.Plans;
using Profiler.Profiles;
using Profiler.Search;
using Spectre.Console;
using static TorchSharp.torch;

namespace Profiler.Cli.Commands;

/// <summary>Carries out a predict request: fingerprint checks, the surrogate's value and gradient, the optional measurement.</summary>
internal static class PredictRun
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static int Execute(PredictRequest request)
    {
        var loaded = LatencySurrogate.Load(request.Surrogate);
        _ = CommonOptions.PlanBackendOr(request.Backend, loaded); // a bad --backend is refused before any work
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
        var output = request.Operator is not null ? Operator(request, surrogate, warnings) : Model(request, surrogate, warnings);
        output["transfer"] = surrogate.Transfer is { } factors
            ? string.Create(C, $"per call ×{factors.PerCall:0.000}, work ×{factors.Work:0.000} ({transfer.Comparison?.Verdict.Words()})")
            : null;
        if (request.Json) output["transfer"] = transfer.Json();
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(output));
            foreach (var line in transfer.Lines) Console.Error.WriteLine(line);
            return CommandLine.Success;
        }
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in output.Where(p => p.Value is not null && p.Key != "warnings" && p.Key != "layers"))
            grid.AddRow(TerminalText.Escape(name), TerminalText.Escape(Convert.ToString(value, C)!));
        AnsiConsole.Write(grid);
        foreach (var line in transfer.Lines) Console.Error.WriteLine(line);
        foreach (var warning in warnings) Console.Error.WriteLine($"warning: {PrintableText.Line(warning)}");
        return CommandLine.Success;
    }

    private static Dictionary<string, object?> Operator(PredictRequest r, LatencySurrogate surrogate, List<string> warnings)
    {
        var key = ModelKey.Parse(r.Operator!);
        var model = surrogate.Model(key);
        var profiled = model.Shapes[0];
        var sizes = new ModelShape(r.Hidden ?? profiled.Hidden, r.Heads ?? profiled.Heads, r.MlpSize ?? profiled.MlpSize, 1).Validated();
        var shape = new CaseShape(key, sizes.Hidden, sizes.Heads, sizes.MlpSize, CommonOptions.Positive(r.Batch ?? profiled.Batch, "--batch"), profiled.DType);
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

    private static Dictionary<string, object?> Model(PredictRequest r, LatencySurrogate surrogate, List<string> warnings)
    {
        var preset = Preset.Parse(r.Model!);
        var shape = new ModelShape(r.Hidden ?? preset.Shape.Hidden, r.Heads ?? preset.Shape.Heads, r.MlpSize ?? preset.Shape.MlpSize, preset.Shape.Layers).Validated();
        int batch = CommonOptions.Positive(r.Batch ?? 1, "--batch");
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
            PlanMeasurement.Measure(r, surrogate, shape, tokens, batch, plan, prediction.Share, output, warnings);
        else if (r.Measure) Measure(r, surrogate, shape, tokens, batch, predictedMs, output, warnings);
        output["warnings"] = warnings;
        return output;
    }

    private static void Measure(PredictRequest r, LatencySurrogate surrogate, ModelShape shape, int tokens, int batch,
        double predictedMs, Dictionary<string, object?> output, List<string> warnings)
    {
        var profiled = ProfiledHere(r, surrogate, warnings);
        Console.Error.WriteLine($"measuring the forward of {shape.Layers} encoder blocks at {tokens} tokens on {PrintableText.Of(profiled.Device)} with {profiled.Threads} threads…");
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
    /// The fingerprint the surrogate was profiled with, where a measurement runs on its device and threads, once this
    /// machine, measuring on <paramref name="backend"/>, is checked against it (refused on other hardware unless
    /// --allow-mismatch, which adds a warning).
    /// </summary>
    internal static Fingerprint ProfiledHere(PredictRequest r, LatencySurrogate surrogate, List<string> warnings, string backend = BackendFactory.Torch)
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
