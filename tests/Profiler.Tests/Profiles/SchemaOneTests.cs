using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Cli;

namespace Profiler.Tests.Profiles;

/// <summary>
/// Profiles written before schema 2 (no primary latency field) still read, validate and keep their content hash;
/// their latency is what schema 1 called it, the median.
/// </summary>
public sealed class SchemaOneTests
{
    /// <summary>A schema-1 file as this project published it (the ONNX Runtime llava-1.5-7b profile of 2026-11-30).</summary>
    private static string Published => Path.Combine(RepositoryFiles.ProfilesFolder, "..", "tests", "Profiler.Tests", "Profiles", "Fixtures", "schema1.profile.json");

    [Fact]
    public void A_published_schema_1_file_validates_and_reads_with_its_median_as_the_latency()
    {
        var check = ProfileValidator.Validate(Published);
        Assert.True(check.IsValid, check.Problem);
        var doc = check.Document!;
        Assert.Equal(1, doc.SchemaVersion);
        Assert.Equal("median", doc.Settings.Estimator);
        Assert.Null(doc.Drift.SpreadAsTimed);
        Assert.All(doc.Cases, c =>
        {
            Assert.Equal(c.Statistics.Median, c.Latency.Value);
            Assert.Null(c.Latency.Low);
            Assert.Null(c.Latency.High);
        });
    }

    [Fact]
    public void Validate_says_which_schema_it_read()
    {
        using var folder = new TempFolder();
        var current = folder.File("current.profile.json");
        ProfileWriter.Write(current, SampleProfiles.Random(5), force: false);

        var old = CliProcess.Run("validate", Published);
        var now = CliProcess.Run("validate", current, "--json");

        Assert.True(old.ExitCode == 0, old.Stderr);
        Assert.Contains("schema 1", old.Stdout);
        Assert.Contains("median", old.Stdout);
        Assert.True(now.ExitCode == 0, now.Stderr);
        Assert.Contains($"\"schemaVersion\":{ProfileDocument.CurrentSchemaVersion}", now.Stdout);
        Assert.Contains("\"estimator\":\"p10\"", now.Stdout);
    }

    [Fact]
    public void A_schema_1_document_is_written_back_in_its_own_form_byte_for_byte()
    {
        using var folder = new TempFolder();
        var doc = ProfileReader.Read(Published);
        var copy = ProfileWriter.Write(folder.File("copy.profile.json"), doc, force: false);

        Assert.Equal(doc.ContentHash, copy.ContentHash);
        Assert.Equal(File.ReadAllBytes(Published), File.ReadAllBytes(folder.File("copy.profile.json")));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_schema_1_documents_round_trip_with_their_median_as_the_latency(int seed)
    {
        using var folder = new TempFolder();
        var random = SampleProfiles.Random(seed);
        var v1 = random with
        {
            SchemaVersion = 1,
            Settings = random.Settings with { Estimator = "median" },
            Drift = random.Drift with { SpreadAsTimed = null, SpreadCorrected = null },
            Cases = random.Cases.Select(c => c with { Latency = new LatencyEstimate(c.Statistics.Median, null, null, c.Statistics.Count) }).ToList(),
        };
        var written = ProfileWriter.Write(folder.File("v1.profile.json"), v1, force: false);
        var text = File.ReadAllText(folder.File("v1.profile.json"));

        Assert.StartsWith("{\n  \"schemaVersion\": 1,", text);
        Assert.DoesNotContain("latencyUs", text);
        Assert.DoesNotContain("estimator", text);
        Assert.Equal(written, ProfileReader.Read(folder.File("v1.profile.json")));
    }
}
