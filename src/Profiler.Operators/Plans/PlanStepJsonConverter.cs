using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Profiler.Core;
using Profiler.Operators.Reduction;

namespace Profiler.Operators.Plans;

/// <summary>
/// A <see cref="PlanStep"/> as files hold it: <c>{"layer": 1, "keep": 14, "operator": "prune", "variant": "",
/// "score": "last-text"}</c>, written with exactly these names whatever the serializer's options, and score null when
/// there is none. Reading takes names in any case, needs layer, keep and operator, and refuses an unknown property, a
/// non-reduction or unknown operator, an unknown variant or score with a <see cref="JsonException"/> naming the value
/// and the choices (<see cref="ReductionPlan.Parse"/> turns it into an <see cref="InputException"/>).
/// </summary>
internal sealed class PlanStepJsonConverter : JsonConverter<PlanStep>
{
    private const string Reductions = "prune, merge, pool, reweight";

    // Called for null too, so that a null step is refused here rather than met later as a null in the plan.
    public override bool HandleNull => true;

    public override PlanStep Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"a plan step is a JSON object {{layer, keep, operator}}, not {Token(reader.TokenType)}");
        int? layer = null, keep = null;
        OperatorKind? op = null;
        bool aligned = false, random = false;
        ScoreKind? score = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name.ToLowerInvariant())
            {
                case "layer": layer = Integer(ref reader, name); break;
                case "keep": keep = Integer(ref reader, name); break;
                case "operator": op = Operator(Text(ref reader, name)); break;
                case "variant": aligned = Aligned(Text(ref reader, name)); break;
                case "score":
                    if (reader.TokenType != JsonTokenType.Null) (score, random) = Score(Text(ref reader, name));
                    break;
                default: throw new JsonException($"unknown property '{name}' of a plan step (known: layer, keep, operator, variant, score)");
            }
        }
        if (layer is null || keep is null || op is null)
        {
            var missing = new[] { ("layer", layer is null), ("keep", keep is null), ("operator", op is null) }.Where(m => m.Item2).Select(m => m.Item1);
            throw new JsonException($"a plan step needs layer, keep and operator; this one has no {string.Join(", ", missing)}");
        }
        return new PlanStep(layer.Value, keep.Value, op.Value, aligned, score, random);
    }

    public override void Write(Utf8JsonWriter writer, PlanStep value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber("layer", value.Layer);
        writer.WriteNumber("keep", value.Keep);
        writer.WriteString("operator", value.Operator.Name());
        writer.WriteString("variant", value.VariantName);
        if (value.ScoreName is { } score) writer.WriteString("score", score);
        else writer.WriteNull("score");
        writer.WriteEndObject();
    }

    private static int Integer(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value)
            ? value
            : throw new JsonException($"a plan step's {name} is a whole number, not {(reader.TokenType == JsonTokenType.Number ? Encoding.UTF8.GetString(reader.ValueSpan) : Token(reader.TokenType))}");

    private static string Text(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new JsonException($"a plan step's {name} is a string, not {Token(reader.TokenType)}");

    private static OperatorKind Operator(string name)
    {
        if (!OperatorNames.TryParse(name, out var kind)) throw new JsonException($"unknown operator '{name}' (known: {Reductions})");
        return kind.IsReduction() ? kind : throw new JsonException($"'{name}' is not a reduction operator ({Reductions})");
    }

    private static bool Aligned(string variant) => variant.Trim() switch
    {
        "" => false,
        var text when string.Equals(text, ReductionVariant.AlignedWord, StringComparison.OrdinalIgnoreCase) => true,
        _ => throw new JsonException($"unknown variant '{variant}' (known: \"\" for the stand-alone operator, \"{ReductionVariant.AlignedWord}\" for its aligned anchor)"),
    };

    private static (ScoreKind? Score, bool Random) Score(string name)
    {
        if (string.Equals(name.Trim(), PlanStep.RandomScoreName, StringComparison.OrdinalIgnoreCase)) return (null, true);
        if (ScoreKinds.TryParse(name, out var kind)) return (kind, false);
        var known = string.Join(", ", Enum.GetValues<ScoreKind>().Select(k => k.Name()).Append(PlanStep.RandomScoreName));
        throw new JsonException($"unknown score '{name}' (known: {known})");
    }

    private static string Token(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
