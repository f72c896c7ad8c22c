using System.Text.Json;
using System.Text.Json.Nodes;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

/// <summary>
/// Keeps profiles/schema/profile.schema.json in step with the writer: every object the writer emits has exactly
/// the schema's declared properties, all of them required, and every value has a type the schema allows.
/// </summary>
public class ProfileSchemaTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(File.ReadAllText(FindSchema()))!;

    [Fact]
    public void TheSchemaIsDraft202012()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)Schema["$schema"]);
        Assert.Equal(ProfileDocument.CurrentSchemaVersion, (int?)Schema["properties"]!["schemaVersion"]!["const"]);
    }

    [Theory]
    [InlineData(41)]
    [InlineData(42)]
    [InlineData(43)]
    public void EverythingTheWriterEmitsIsDeclaredAndRequired(int seed)
    {
        using var folder = new TempFolder();
        var document = SampleProfiles.Random(seed);
        // Both forms of the nullable fields: a budget and none; a case with one sample has no CI half-width.
        foreach (var budget in new[] { document.Settings.Budget, null, Profiler.Core.Latency.FromSeconds(60) })
        {
            var path = folder.File($"p{budget?.Nanoseconds}.json");
            ProfileWriter.Write(path, document with { Settings = document.Settings with { Budget = budget } }, force: true);
            var instance = JsonNode.Parse(File.ReadAllText(path))!;

            var problems = new List<string>();
            Check(instance, Schema, "", problems);

            Assert.True(problems.Count == 0, $"seed {seed}: {string.Join("; ", problems)}");
        }
    }

    private static void Check(JsonNode? instance, JsonNode schema, string path, List<string> problems)
    {
        schema = Resolve(schema);
        var kind = KindOf(instance);
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => (string)t!).ToList() : [(string)type!];
            if (!allowed.Contains(kind) && !(kind == "integer" && allowed.Contains("number")))
                problems.Add($"{path}: {kind} where the schema allows {string.Join("|", allowed)}");
        }
        if (instance is JsonObject obj)
        {
            if (schema["properties"] is JsonObject declared)
            {
                var emitted = obj.Select(p => p.Key).ToHashSet();
                var required = (schema["required"] as JsonArray ?? []).Select(r => (string)r!).ToHashSet();
                foreach (var name in emitted.Except(declared.Select(p => p.Key)))
                    problems.Add($"{Join(path, name)}: emitted but not declared in the schema");
                foreach (var name in declared.Select(p => p.Key).Except(emitted))
                    problems.Add($"{Join(path, name)}: declared in the schema but never emitted");
                if (!required.SetEquals(emitted))
                    problems.Add($"{path}: required [{string.Join(",", required.Order())}] but emitted [{string.Join(",", emitted.Order())}]");
                foreach (var (name, value) in obj.Where(p => declared.ContainsKey(p.Key)))
                    Check(value, declared[name]!, Join(path, name), problems);
            }
            else if (schema["additionalProperties"] is JsonObject valueSchema)
            {
                foreach (var (name, value) in obj) Check(value, valueSchema, Join(path, name), problems);
            }
        }
        if (instance is JsonArray array && schema["items"] is { } items)
        {
            for (int i = 0; i < array.Count; i++) Check(array[i], items, $"{path}[{i}]", problems);
        }
    }

    private static JsonNode Resolve(JsonNode schema)
    {
        if (schema["$ref"] is not { } reference) return schema;
        var name = ((string)reference!)["#/$defs/".Length..];
        var target = Schema["$defs"]![name]!;
        // A $ref beside other keywords (a description) still means the referenced schema.
        return Resolve(target);
    }

    private static string KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => node.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string FindSchema()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "profiles", "schema", "profile.schema.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("profiles/schema/profile.schema.json not found above " + AppContext.BaseDirectory);
    }
}
