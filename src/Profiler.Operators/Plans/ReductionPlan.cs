using System.Text.Json;
using Profiler.Core;

namespace Profiler.Operators.Plans;

/// <summary>
/// The discrete result of a search: where to reduce, to how many tokens, with which operator. The file is a JSON
/// list of steps, e.g. <c>[{"layer": 2, "keep": 80, "operator": "merge"}]</c> (see <see cref="PlanStep"/>); a
/// search's result file (<c>search --out</c>) reads as its searched plan, the list under its <c>plan</c>.
/// </summary>
/// <param name="Steps">Reductions, in layer order, at most one per layer.</param>
public sealed record ReductionPlan(IReadOnlyList<PlanStep> Steps)
{
    /// <summary>No reduction.</summary>
    public static ReductionPlan None { get; } = new([]);

    /// <summary>The plan in one line, as tables write it: "L0 prune/cls → 27; L1 merge(aligned)/cls → 9".</summary>
    public string Describe() =>
        Steps.Count == 0 ? "no reduction" : string.Join("; ", Steps.Select(s =>
            $"L{s.Layer} {s.Operator.Name()}{(s.Aligned ? $"({s.VariantName})" : "")}{(s.ScoreName is { } score ? "/" + score : "")} → {s.Keep}"));

    /// <summary>Reads a plan file; a malformed one is an <see cref="InputException"/> naming the file and the problem.</summary>
    public static ReductionPlan Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: plan file not found");
        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses plan JSON (a list of steps, or an object whose <c>plan</c> is one); <paramref name="name"/> names it in errors.</summary>
    public static ReductionPlan Parse(string name, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var list = document.RootElement;
            if (list.ValueKind == JsonValueKind.Object && !list.TryGetProperty("plan", out list))
                throw new InputException($"{name}: not a plan: a JSON object without a 'plan' (give a list of {{layer, keep, operator}} steps, or a search result)");
            var steps = list.Deserialize<List<PlanStep>>()
                ?? throw new InputException($"{name}: a plan is a JSON list of {{layer, keep, operator}} steps, not null");
            return new ReductionPlan(steps);
        }
        catch (JsonException e)
        {
            throw new InputException($"{name}: not a plan (a JSON list of {{layer, keep, operator}} steps): {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>
    /// The tokens each layer's attention and MLP see, for a model of <paramref name="layers"/> layers that starts with
    /// <paramref name="tokens"/> tokens of which <paramref name="protectedTokens"/> are never reduced. Throws an
    /// <see cref="InputException"/> for a step that cannot be carried out.
    /// </summary>
    public (int[] Attention, int[] Mlp) Tokens(int layers, int tokens, int protectedTokens)
    {
        var attention = new int[layers];
        var mlp = new int[layers];
        var byLayer = new Dictionary<int, PlanStep>();
        for (int i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var where = $"plan step {i} (layer {step.Layer})";
            if (step.Layer < 0 || step.Layer >= layers) throw new InputException($"{where}: layer must be in 0..{layers - 1}");
            if (!byLayer.TryAdd(step.Layer, step)) throw new InputException($"{where}: a second reduction in the same layer");
            if (!step.Operator.IsReduction())
                throw new InputException($"{where}: '{step.Operator.Name()}' is not a reduction operator (prune, merge, pool, reweight)");
        }
        int current = tokens;
        for (int layer = 0; layer < layers; layer++)
        {
            attention[layer] = current;
            if (byLayer.TryGetValue(layer, out var step))
            {
                if (step.Keep <= protectedTokens || step.Keep > current)
                    throw new InputException($"plan step at layer {layer}: keep {step.Keep} must be in {protectedTokens + 1}..{current} ({protectedTokens} protected tokens are never reduced)");
                current = step.Keep;
            }
            mlp[layer] = current;
        }
        return (attention, mlp);
    }
}
