using System.CommandLine;
using Profiler.Core;
using Profiler.Search;
using Profiler.Search.Prediction;

namespace Profiler.Cli.Commands;

/// <summary>
/// <c>predict</c>: the surrogate's latency of one operator at a token count (with its gradient), or of a whole
/// model with an optional reduction plan (optionally checked against a measured forward on this machine).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("surrogate") { Description = "Path of a .surrogate.json file (from fit)" };
        var op = new Option<string?>("--op") { Description = "Operator to predict, e.g. attention, mlp, prune:cls" };
        var tokens = new Option<double?>("--tokens") { Description = "Tokens in (may be fractional: the surrogate is smooth); for --model, the sequence length (default: the preset's)" };
        var tokensOut = new Option<double?>("--tokens-out") { Description = "Tokens out, for a reduction operator" };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden size (default: the profiled one)" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (default: the profiled ones)" };
        var mlp = new Option<int?>("--mlp") { Description = "MLP size (default: the profiled one)" };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: the profiled one)" };
        var model = new Option<string?>("--model") { Description = "Predict a whole model: tiny, vit-b-16, llava-1.5-7b" };
        var plan = new Option<string?>("--plan") { Description = "With --model: a reduction plan, a JSON list of {layer, keep, operator}" };
        var measure = new Option<bool>("--measure") { Description = "With --model: also measure the forward on this machine and compare (with --plan: the task's model, beside its unreduced forward)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "With --plan --measure: the task model to run (default: the shipped tiny model)" };
        var rounds = new Option<int>("--rounds") { Description = "With --plan --measure: bursts per forward, paired round by round", DefaultValueFactory = _ => SearchRequest.DefaultRounds };
        var backend = CommonOptions.PlanBackend();
        var profile = new Option<string?>("--profile") { Description = "Refuse unless the surrogate was fitted on this profile's hardware" };
        var allow = new Option<bool>("--allow-mismatch") { Description = "Use the surrogate even for other hardware than it was fitted on" };
        var noTransfer = CommonOptions.NoTransfer();
        var strict = CommonOptions.Strict();
        var json = CommonOptions.Json();
        var command = new Command("predict", "Predict latency with a surrogate: one operator, or a whole model and plan")
        {
            path, op, tokens, tokensOut, hidden, heads, mlp, batch, model, plan, measure, checkpoint, rounds, backend, profile, allow, noTransfer, strict, json,
        };
        command.SetAction(result => CommandLine.Guard(() =>
        {
            var request = new PredictRequest
            {
                Surrogate = result.GetValue(path)!,
                Operator = result.GetValue(op),
                Tokens = result.GetValue(tokens),
                TokensOut = result.GetValue(tokensOut),
                Hidden = result.GetValue(hidden),
                Heads = result.GetValue(heads),
                MlpSize = result.GetValue(mlp),
                Batch = result.GetValue(batch),
                Model = result.GetValue(model),
                Plan = result.GetValue(plan),
                Measure = result.GetValue(measure),
                Checkpoint = result.GetValue(checkpoint),
                Rounds = result.GetValue(rounds),
                Backend = result.GetValue(backend),
                Profile = result.GetValue(profile),
                AllowMismatch = result.GetValue(allow),
                NoTransfer = result.GetValue(noTransfer),
                Strict = result.GetValue(strict),
            };
            if ((request.Operator is null) == (request.Model is null))
                throw new InputException("give either --op NAME --tokens N, or --model PRESET");
            if (request.Model is null && (request.Plan is not null || request.Measure))
                throw new InputException("--plan and --measure go with --model");
            if (request.Backend is not null && (request.Plan is null || !request.Measure))
                throw new InputException("--backend goes with --model --plan P --measure: it says where the plan is measured");
            PredictTables.Write(Predictor.Run(request, Console.Error.WriteLine), result.GetValue(json));
            return CommandLine.Success;
        }));
        return command;
    }
}
