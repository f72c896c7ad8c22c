using System.Text;
using System.Text.Json.Nodes;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Check;

/// <summary>
/// Schema 3: the fingerprint's machine details and the reference suite round-trip exactly, are validated as strictly
/// as the rest, and files of schemas 1 and 2 still read, validate and keep their bytes and hashes.
/// </summary>
public sealed class SchemaThreeTests
{
    [Fact]
    public void Random_schema_3_documents_round_trip_to_the_same_bytes()
    {
        int seed = SuiteSamples.FreshSeed();
        using var folder = new TempFolder();
        foreach (var (offset, failure) in new[] { (0, false), (1, true), (2, false) })
        {
            var document = SuiteSamples.Document(seed + offset, withFailure: failure);
            var written = ProfileWriter.Write(folder.File($"a{offset}.json"), document, force: false);
            var loaded = ProfileReader.Read(folder.File($"a{offset}.json"));
            ProfileWriter.Write(folder.File($"b{offset}.json"), loaded, force: false);

            Assert.True(written.Equals(document), $"seed {seed + offset}: the writer changed the document");
            Assert.True(loaded.Equals(written), $"seed {seed + offset}: the document read back differs");
            Assert.True(loaded.Reference!.Equals(document.Reference), $"seed {seed + offset}: the suite read back differs");
            Assert.True(loaded.Fingerprint.Machine!.Equals(document.Fingerprint.Machine), $"seed {seed + offset}: the details read back differ");
            Assert.True(File.ReadAllBytes(folder.File($"a{offset}.json")).SequenceEqual(File.ReadAllBytes(folder.File($"b{offset}.json"))),
                $"seed {seed + offset}: re-writing gave other bytes");
            Assert.Equal(3, loaded.SchemaVersion);
            Assert.False(loaded.IsStale);
        }
    }

    [Fact]
    public void A_schema_3_file_without_details_or_suite_is_valid_and_stale()
    {
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        ProfileWriter.Write(path, SampleProfiles.Random(31), force: false);

        var text = File.ReadAllText(path);
        var loaded = ProfileReader.Read(path);

        Assert.Contains("\"machine\": null", text);
        Assert.Contains("\"reference\": null", text);
        Assert.True(loaded.IsStale);
        Assert.Null(loaded.Fingerprint.Machine);
    }

    [Fact]
    public void Profiles_of_schemas_1_and_2_still_validate_are_stale_and_rewrite_byte_for_byte()
    {
        var published = new List<string>
        {
            RepositoryFiles.SchemaTwoProfile,
            Path.Combine(RepositoryFiles.ProfilesFolder, "..", "tests", "Profiler.Tests", "Profiles", "Fixtures", "schema1.profile.json"),
        };
        Assert.NotEmpty(published);
        using var folder = new TempFolder();
        foreach (var path in published)
        {
            var check = ProfileValidator.Validate(path);
            Assert.True(check.IsValid, $"{path}: {check.Problem}");
            var doc = check.Document!;
            Assert.True(doc.SchemaVersion < 3, $"{path} is schema {doc.SchemaVersion}");
            Assert.True(doc.IsStale);

            var copy = ProfileWriter.Write(folder.File(Path.GetFileName(path)), doc, force: true);
            Assert.Equal(doc.ContentHash, copy.ContentHash);
            Assert.True(File.ReadAllBytes(path).SequenceEqual(File.ReadAllBytes(folder.File(Path.GetFileName(path)))), $"{path}: other bytes");
        }
    }

    [Fact]
    public void An_older_schema_document_with_details_or_a_suite_is_not_written()
    {
        using var folder = new TempFolder();
        var document = SuiteSamples.Document(5);
        foreach (var old in new[] { document with { SchemaVersion = 2, Fingerprint = document.Fingerprint with { Machine = null } }, document with { SchemaVersion = 2, Reference = null } })
        {
            var error = Assert.Throws<ArgumentException>(() => ProfileWriter.Write(folder.File("old.json"), old, force: true));
            Assert.Contains("schema 2", error.Message);
            Assert.False(File.Exists(folder.File("old.json")));
        }
    }

    [Theory]
    [InlineData("reference.cases[0].latencyUs", -3, "reference.cases[0].latencyUs: -3 is not a latency")]
    [InlineData("reference.cases[0].latencyLowUs", 1e30, "reference.cases[0].latencyLowUs: 1E30 is above latencyUs")]
    [InlineData("reference.cases[1].latencyHighUs", 1e-6, "reference.cases[1].latencyUs:")]
    [InlineData("reference.cases[0].name", "flops", "reference.cases[0].name: \"flops\" is not a reference case")]
    [InlineData("reference.cases[1].name", "call", "reference.cases[1].name: \"call\" appears twice")]
    [InlineData("reference.cases[0].n", 0, "reference.cases[0].n: must be at least 1")]
    [InlineData("reference.cases[0].flops", -1, "reference.cases[0].flops: must be at least 0")]
    [InlineData("reference.cases[0].description", "", "reference.cases[0].description: is empty")]
    [InlineData("reference.estimator", "median", "reference.estimator: \"median\" is not an estimator")]
    [InlineData("fingerprint.machine.cpuFlags[0]", "sse2", "fingerprint.machine.cpuFlags[0]: \"sse2\" is not a recorded flag")]
    [InlineData("fingerprint.machine.kernelRelease", "", "fingerprint.machine.kernelRelease: is empty")]
    [InlineData("fingerprint.machine.serverGc", 1, "fingerprint.machine.serverGc: expected a string")]
    public void A_bad_value_in_the_new_fields_is_refused_naming_the_field(string field, object value, string expected)
    {
        var problem = Refused(SuiteSamples.Document(11), root => Set(root, field, value));
        Assert.StartsWith(expected, problem);
    }

    [Fact]
    public void Texts_longer_than_their_bounds_and_unknown_fields_are_refused()
    {
        var doc = SuiteSamples.Document(12);
        Assert.StartsWith("fingerprint.machine.hypervisor: 201 characters",
            Refused(doc, root => Set(root, "fingerprint.machine.hypervisor", new string('h', 201))));
        Assert.StartsWith("reference.cases[2].description: 301 characters",
            Refused(doc, root => Set(root, "reference.cases[2].description", new string('d', 301))));
        Assert.StartsWith("reference.cases[0]: unknown field \"latencyMedianUs\"",
            Refused(doc, root => Set(root, "reference.cases[0].latencyMedianUs", 3)));
        Assert.StartsWith("fingerprint.machine: unknown field \"cpuName\"",
            Refused(doc, root => Set(root, "fingerprint.machine.cpuName", "x")));
    }

    [Fact]
    public void A_case_neither_measured_nor_listed_as_failed_is_refused_and_a_failure_is_accepted()
    {
        var doc = SuiteSamples.Document(13);
        Assert.StartsWith("reference: no result for memory",
            Refused(doc, root => root["reference"]!["cases"]!.AsArray().RemoveAt(2)));

        using var folder = new TempFolder();
        var failed = doc with
        {
            Reference = doc.Reference! with
            {
                Cases = doc.Reference!.Cases.Take(2).ToList(),
                Failures = [new ReferenceFailure(ReferenceCaseNames.Memory, "OutOfMemoryException: 16 MiB")],
            },
        };
        var read = ProfileWriter.Write(folder.File("f.json"), failed, force: false);
        Assert.Null(ProfileReader.Read(folder.File("f.json")).Reference!.Find(ReferenceCaseNames.Memory));
        Assert.Equal("OutOfMemoryException: 16 MiB", read.Reference!.WhyMissing(ReferenceCaseNames.Memory));

        var both = failed with { Reference = failed.Reference! with { Cases = doc.Reference.Cases } };
        Assert.Throws<ArgumentException>(() => ProfileWriter.Write(folder.File("both.json"), both, force: false));
    }

    [Fact]
    public void Changing_a_detail_or_a_suite_value_changes_the_hash()
    {
        var doc = SuiteSamples.Document(14);
        var c0 = doc.Reference!.Cases[0];
        var nudged = c0 with { Latency = c0.Latency with { Value = new Latency(Math.BitIncrement(c0.Latency.Value.Nanoseconds)) } };
        var changes = new[]
        {
            doc with { Fingerprint = doc.Fingerprint with { Machine = doc.Fingerprint.Machine! with { KernelRelease = doc.Fingerprint.Machine.KernelRelease + "x" } } },
            doc with { Reference = doc.Reference with { Cases = [nudged, .. doc.Reference.Cases.Skip(1)] } },
            doc with { Reference = null },
        };
        foreach (var changed in changes) Assert.NotEqual(ProfileHash.Compute(doc), ProfileHash.Compute(changed));
    }

    // Writes the document, applies the change to its JSON, and returns the validator's one-line problem.
    private static string Refused(ProfileDocument document, Action<JsonNode> change)
    {
        using var folder = new TempFolder();
        var path = folder.File("p.json");
        ProfileWriter.Write(path, document, force: false);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        change(root);
        File.WriteAllText(path, root.ToJsonString(), new UTF8Encoding(false));
        var result = ProfileValidator.Validate(path);
        Assert.False(result.IsValid, "the changed file was accepted");
        Assert.DoesNotContain('\n', result.Problem!);
        return result.Problem!;
    }

    // Sets a field named by a dotted path with [i] indexes, e.g. "reference.cases[0].name".
    private static void Set(JsonNode root, string path, object value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = Step(node, part);
        var last = parts[^1];
        JsonNode? newValue = value switch
        {
            string s => JsonValue.Create(s),
            int i => JsonValue.Create(i),
            double d => JsonValue.Create(d),
            _ => throw new ArgumentException("unsupported value"),
        };
        int bracket = last.IndexOf('[');
        if (bracket < 0) node[last] = newValue;
        else node[last[..bracket]]![int.Parse(last[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)] = newValue;
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        int bracket = part.IndexOf('[');
        return bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
    }
}
