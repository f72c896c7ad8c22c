using System.Globalization;
using System.Text.Json.Nodes;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

public class ProfileRoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(20260101)]
    public void WrittenProfileReadsBackEqualAndRewritesToTheSameBytes(int seed)
    {
        using var folder = new TempFolder();
        var document = SampleProfiles.Random(seed, cases: 30);

        var written = ProfileWriter.Write(folder.File("a.json"), document, force: false);
        var loaded = ProfileReader.Read(folder.File("a.json"));
        ProfileWriter.Write(folder.File("b.json"), loaded, force: false);

        Assert.True(written.Equals(document), $"seed {seed}: the writer changed the document");
        Assert.True(loaded.Equals(written), $"seed {seed}: the document read back differs from the one written");
        Assert.True(
            File.ReadAllBytes(folder.File("a.json")).SequenceEqual(File.ReadAllBytes(folder.File("b.json"))),
            $"seed {seed}: re-writing a loaded profile gave different bytes");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void LatenciesOfEveryMagnitudeSurviveExactly(int seed)
    {
        // Multiplying by 1000 and back changes about 2% of doubles; thousands of random ones catch that.
        var rng = new Random(seed);
        var medians = Enumerable.Range(0, 5000)
            .Select(_ => new Latency(Math.Pow(10, -3 + 16 * rng.NextDouble())))
            .Append(new Latency(0.1)).Append(new Latency(1)).Append(new Latency(1e15)).Append(Latency.SmallestTimed)
            .ToList();
        var document = SampleProfiles.Random(seed) with
        {
            Drift = new DriftRecord { Sentinel = "s", SentinelMedians = medians, Corrections = medians.Select(_ => 1.0).ToList(), SpreadAsTimed = null, SpreadCorrected = null, Applied = false },
        };
        using var folder = new TempFolder();

        ProfileWriter.Write(folder.File("p.json"), document, force: false);
        var loaded = ProfileReader.Read(folder.File("p.json"));

        for (int i = 0; i < medians.Count; i++)
        {
            Assert.True(medians[i] == loaded.Drift.SentinelMedians[i],
                $"seed {seed}: {medians[i].Nanoseconds:R} ns came back as {loaded.Drift.SentinelMedians[i].Nanoseconds:R} ns");
        }
    }

    [Fact]
    public void LatenciesAreMicrosecondsInTheFile()
    {
        var document = SampleProfiles.Random(11);
        var first = document.Cases[0];
        var changed = first with { Statistics = first.Statistics with { Median = new Latency(1_234_567), P10 = new Latency(1), P90 = new Latency(1e12) } };
        using var folder = new TempFolder();

        ProfileWriter.Write(folder.File("p.json"), document with { Cases = [changed, .. document.Cases.Skip(1)] }, force: false);
        var json = JsonNode.Parse(File.ReadAllText(folder.File("p.json")))!;

        Assert.Equal("1234.567", json["cases"]![0]!["medianUs"]!.ToJsonString());
        Assert.Equal("0.001", json["cases"]![0]!["p10Us"]!.ToJsonString());
        Assert.Equal("1000000000", json["cases"]![0]!["p90Us"]!.ToJsonString());
    }

    [Fact]
    public void TheFileDoesNotDependOnTheCurrentCulture()
    {
        var document = SampleProfiles.Random(12);
        using var folder = new TempFolder();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            ProfileWriter.Write(folder.File("invariant.json"), document, force: false);
            // German writes 1,5 for one and a half.
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            ProfileWriter.Write(folder.File("german.json"), document, force: false);
            Assert.True(ProfileReader.Read(folder.File("invariant.json")).Equals(document), "seed 12: read under de-DE differs");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Equal(File.ReadAllBytes(folder.File("invariant.json")), File.ReadAllBytes(folder.File("german.json")));
    }

    [Fact]
    public void TheFileIsIndentedWithUnixLineEndsAndEndsInANewline()
    {
        using var folder = new TempFolder();
        ProfileWriter.Write(folder.File("p.json"), SampleProfiles.Random(13), force: false);
        var text = File.ReadAllText(folder.File("p.json"));

        Assert.StartsWith("{\n  \"schemaVersion\": 3,\n  \"contentHash\": \"sha256:", text);
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("}\n", text);
    }

    [Fact]
    public void ReformattingTheFileKeepsItValid()
    {
        // The hash covers values, not whitespace: a profile re-indented by an editor still checks out.
        using var folder = new TempFolder();
        ProfileWriter.Write(folder.File("p.json"), SampleProfiles.Random(14), force: false);
        File.WriteAllText(folder.File("compact.json"), JsonNode.Parse(File.ReadAllText(folder.File("p.json")))!.ToJsonString());

        var result = ProfileValidator.Validate(folder.File("compact.json"));

        Assert.True(result.IsValid, "seed 14: " + result.Message);
    }
}
