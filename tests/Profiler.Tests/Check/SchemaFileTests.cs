using System.Text.Json.Nodes;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Check;

/// <summary>
/// profiles/schema/profile.schema.json declares exactly what the writer emits in the schema-3 objects (the machine
/// details, the reference suite, its cases and failures), all of it required.
/// </summary>
public sealed class SchemaFileTests
{
    private static readonly JsonNode Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.ProfilesFolder, "schema", "profile.schema.json")))!;

    [Fact]
    public void The_new_objects_declare_and_require_exactly_what_is_written()
    {
        int seed = SuiteSamples.FreshSeed();
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        ProfileWriter.Write(path, SuiteSamples.Document(seed, withFailure: true), force: false);
        var root = JsonNode.Parse(File.ReadAllText(path))!;

        var objects = new (string Definition, JsonObject Emitted)[]
        {
            ("machine", root["fingerprint"]!["machine"]!.AsObject()),
            ("reference", root["reference"]!.AsObject()),
            ("referenceCase", root["reference"]!["cases"]![0]!.AsObject()),
            ("referenceFailure", root["reference"]!["failures"]![0]!.AsObject()),
        };
        foreach (var (definition, emitted) in objects)
        {
            var schema = Schema["$defs"]![definition]!;
            var declared = schema["properties"]!.AsObject().Select(p => p.Key).Order().ToList();
            var required = schema["required"]!.AsArray().Select(r => (string)r!).Order().ToList();
            var written = emitted.Select(p => p.Key).Order().ToList();
            Assert.True(declared.SequenceEqual(written), $"seed {seed}: {definition} declares [{string.Join(",", declared)}], the writer emits [{string.Join(",", written)}]");
            Assert.True(required.SequenceEqual(written), $"seed {seed}: {definition} requires [{string.Join(",", required)}]");
        }
        Assert.Equal(ProfileDocument.CurrentSchemaVersion, (int?)Schema["properties"]!["schemaVersion"]!["const"]);
        Assert.Contains("reference", Schema["required"]!.AsArray().Select(r => (string)r!));
    }
}
