using System.Globalization;
using System.Text.Json;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Operators.Reduction;

namespace Profiler.Tests.Operators;

/// <summary>
/// A plan's JSON: typed steps write the text the string-typed steps wrote (search results, exports and plan files read
/// as before), read back equal, and a name the plan does not know is bad input naming the value and the choices.
/// </summary>
public sealed class PlanJsonTests
{
    private static readonly OperatorKind[] Reductions = [OperatorKind.Prune, OperatorKind.Merge, OperatorKind.Pool, OperatorKind.Reweight];
    private static readonly ScoreKind[] Scores = Enum.GetValues<ScoreKind>();

    // As the command line writes plans (search --out, export --json, evaluate --json).
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void A_step_writes_the_text_plan_files_hold()
    {
        var steps = new[]
        {
            new PlanStep(1, 14, OperatorKind.Prune, Score: ScoreKind.LastText),
            new PlanStep(0, 40, OperatorKind.Merge, Aligned: true),
            new PlanStep(2, 30, OperatorKind.Prune, RandomScore: true),
        };
        const string expected = """[{"layer":1,"keep":14,"operator":"prune","variant":"","score":"last-text"},"""
            + """{"layer":0,"keep":40,"operator":"merge","variant":"aligned","score":null},"""
            + """{"layer":2,"keep":30,"operator":"prune","variant":"","score":"random"}]""";
        Assert.Equal(expected, JsonSerializer.Serialize(steps, Web));
        // The names are the file's, whatever naming policy the caller's options have.
        Assert.Equal(expected, JsonSerializer.Serialize(steps));
    }

    [Fact]
    public void Fresh_random_plans_read_back_as_written()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        var seen = new HashSet<string>();
        for (int trial = 0; trial < 300; trial++)
        {
            var steps = Enumerable.Range(0, random.Next(6)).Select(_ => RandomStep(random)).ToList();
            seen.UnionWith(steps.Select(s => $"{s.Operator.Name()} {s.VariantName} {s.ScoreName}"));
            var plan = new ReductionPlan(steps);
            var compact = JsonSerializer.Serialize(plan.Steps, Web);
            var before = "[" + string.Join(",", steps.Select(StringTypedText)) + "]";
            Assert.True(compact == before, $"seed {seed}, trial {trial}: written as {compact}, not {before}");
            var json = random.Next(2) == 0 ? compact : JsonSerializer.Serialize(plan.Steps, new JsonSerializerOptions(Web) { WriteIndented = true });
            // A search result reads as the plan under its "plan".
            var file = random.Next(2) == 0 ? json : $$"""{"method": "search", "plan": {{json}}}""";
            var read = ReductionPlan.Parse("plan.json", file);
            Assert.True(read.Steps.SequenceEqual(plan.Steps), $"seed {seed}, trial {trial}: {file} read back as {JsonSerializer.Serialize(read.Steps)}");
            Assert.Equal(plan.Describe(), read.Describe());
        }
        // Every operator with each variant, and every score and none, was drawn: 4 × 2 × 5 combinations.
        Assert.True(seen.Count == 40, $"seed {seed}: only {seen.Count} of 40 kinds of step drawn");
    }

    [Fact]
    public void Plans_describe_themselves_as_tables_write_them()
    {
        var plan = new ReductionPlan([new PlanStep(0, 27, OperatorKind.Prune, Score: ScoreKind.Cls), new PlanStep(1, 9, OperatorKind.Merge, Aligned: true, Score: ScoreKind.Cls)]);
        Assert.Equal("L0 prune/cls → 27; L1 merge(aligned)/cls → 9", plan.Describe());
        Assert.Equal("L2 pool → 40; L3 prune/random → 20", new ReductionPlan([new PlanStep(2, 40, OperatorKind.Pool), new PlanStep(3, 20, OperatorKind.Prune, RandomScore: true)]).Describe());
    }

    [Fact]
    public void Names_read_in_any_case_and_variant_and_score_may_be_left_out()
    {
        var plan = ReductionPlan.Parse("plan.json", """[{"Layer": 1, "KEEP": 14, "operator": " Prune ", "score": "CLS"}, {"layer": 2, "keep": 9, "operator": "pool", "variant": "Aligned", "score": null}]""");
        Assert.Equal([new PlanStep(1, 14, OperatorKind.Prune, Score: ScoreKind.Cls), new PlanStep(2, 9, OperatorKind.Pool, Aligned: true)], plan.Steps);
    }

    [Theory]
    [InlineData("""{"layer": 1, "keep": 14, "operator": "softmax"}""", "unknown operator 'softmax' (known: prune, merge, pool, reweight)")]
    [InlineData("""{"layer": 1, "keep": 14, "operator": "attention"}""", "'attention' is not a reduction operator (prune, merge, pool, reweight)")]
    [InlineData("""{"layer": 1, "keep": 14, "operator": "prune", "score": "loudness"}""", "unknown score 'loudness' (known: norm, cls, last-text, random)")]
    [InlineData("""{"layer": 1, "keep": 14, "operator": "merge", "variant": "aligned:cls"}""", "unknown variant 'aligned:cls' (known: \"\" for the stand-alone operator, \"aligned\"")]
    [InlineData("""{"layer": 1, "keep": 14, "operator": "merge", "ratio": 0.5}""", "unknown property 'ratio'")]
    [InlineData("""{"layer": 1, "operator": "merge"}""", "this one has no keep")]
    [InlineData("""{"layer": 1.5, "keep": 14, "operator": "merge"}""", "layer is a whole number, not 1.5")]
    [InlineData("""{"layer": 1, "keep": "14", "operator": "merge"}""", "keep is a whole number, not a string")]
    [InlineData("""{"layer": 1, "keep": 14, "operator": null}""", "operator is a string, not null")]
    [InlineData("null", "a plan step is a JSON object {layer, keep, operator}, not null")]
    public void A_step_the_plan_cannot_name_is_bad_input_naming_the_value_and_the_choices(string step, string expected)
    {
        var error = Assert.Throws<InputException>(() => ReductionPlan.Parse("plan.json", $"[{step}]"));
        Assert.StartsWith("plan.json: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void An_unknown_name_anywhere_in_a_random_plan_is_named_in_the_error()
    {
        int seed = Random.Shared.Next();
        var random = new Random(seed);
        for (int trial = 0; trial < 20; trial++)
        {
            var steps = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => JsonSerializer.SerializeToNode(RandomStep(random))!.AsObject()).ToList();
            var bad = "x" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
            var field = random.Next(2) == 0 ? "operator" : "score";
            steps[random.Next(steps.Count)][field] = bad;
            var json = JsonSerializer.Serialize(steps);
            var error = Assert.Throws<InputException>(() => ReductionPlan.Parse("plan.json", json));
            Assert.True(error.Message.Contains($"unknown {field} '{bad}'", StringComparison.Ordinal), $"seed {seed}, trial {trial}: {json} gave \"{error.Message}\"");
        }
    }

    private static PlanStep RandomStep(Random random)
    {
        var op = Reductions[random.Next(Reductions.Length)];
        int score = random.Next(Scores.Length + 2);
        return new PlanStep(random.Next(32), 1 + random.Next(600), op, Aligned: random.Next(2) == 0,
            Score: score < Scores.Length ? Scores[score] : null, RandomScore: score == Scores.Length);
    }

    // What the step wrote when its operator, variant and score were strings (a record under the web defaults).
    private static string StringTypedText(PlanStep s) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"layer":{{s.Layer}},"keep":{{s.Keep}},"operator":"{{s.Operator.Name()}}","variant":"{{(s.Aligned ? "aligned" : "")}}","score":{{(s.ScoreName is { } n ? $"\"{n}\"" : "null")}}}""");
}
