using System.Text;
using System.Text.Json.Nodes;
using Profiler.Core;
using Profiler.CostModel;
using Profiler.CostModel.Surrogate;
using Profiler.Tests.Profiles;
using static TorchSharp.torch;

namespace Profiler.Tests.CostModel;

/// <summary>The workout: fit, save, reload, same predictions, bad input rejected.</summary>
[Collection(FittedSyntheticCollection.Name)]
public class SurrogateFileTests(FittedSynthetic fixture)
{
    [Fact]
    public void ReloadedSurrogatePredictsTheSameAndRewritesToTheSameBytes()
    {
        using var folder = new TempFolder();
        var path = folder.File("s.surrogate.json");
        SurrogateFile.Write(path, fixture.Fit.Document, force: false);
        var loaded = LatencySurrogate.Load(path);
        var rng = new Random(fixture.Seed);
        foreach (var o in fixture.Fit.Operators)
        {
            var shape = CaseShape.For(o.Key, Preset.Tiny.Shape, 1);
            using var original = new OperatorSurrogate(o.Chosen, shape);
            using var reloaded = loaded.Operator(o.Key, shape);
            using var scope = NewDisposeScope();
            var tokens = tensor(Enumerable.Range(0, 64).Select(_ => 2 + 400 * rng.NextDouble()).ToArray(), dtype: float64);
            Assert.True(original.forward(tokens, tokens / 2).equal(reloaded.forward(tokens, tokens / 2)).all().item<bool>(), $"{fixture.Replay}: {o.Key} soft predictions changed on reload");
            foreach (var n in new[] { 2, 8, 100, 157, 256, 300 })
            {
                var c = OperatorCase.Dense(o.Key.Operator, n, Preset.Tiny.Shape) with { TokensOut = o.Key.Operator.IsReduction() ? n / 2 : n };
                Assert.Equal(o.Chosen.PredictUs(c), loaded.PredictFitted(c).Microseconds, 9);
            }
        }
        var again = folder.File("again.surrogate.json");
        SurrogateFile.Write(again, loaded.Document, force: false);
        Assert.True(File.ReadAllBytes(path).SequenceEqual(File.ReadAllBytes(again)), $"{fixture.Replay}: re-writing a loaded surrogate gave other bytes");
    }

    [Fact]
    public void WriteRefusesToReplaceWithoutForce()
    {
        using var folder = new TempFolder();
        var path = folder.File("s.surrogate.json");
        SurrogateFile.Write(path, fixture.Fit.Document, force: false);
        var e = Assert.Throws<InputException>(() => SurrogateFile.Write(path, fixture.Fit.Document, force: false));
        Assert.Contains("--force", e.Message);
        SurrogateFile.Write(path, fixture.Fit.Document, force: true);
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "empty", "the file is empty" },
        { "truncated", "not a valid surrogate" },
        { "not-json-object", "top level is not a JSON object" },
        { "profile", "this is a profile" },
        { "other-format", "not a surrogate file" },
        { "future-version", "schemaVersion 2 is not supported" },
        { "edited-leaf", "contentHash does not match" },
        { "missing-field", "not a valid surrogate" },
        { "bad-child", "is not an unused later split or leaf" },
        { "unknown-feature", "unknown feature" },
        { "zero-temperature", "temperature" },
        { "unknown-operator", "unknown operator" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedFilesAreRefusedWithOneLineNamingTheFile(string damage, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("s.surrogate.json");
        SurrogateFile.Write(path, fixture.Fit.Document, force: false);
        var text = File.ReadAllText(path);
        var damaged = Damage(damage, text, folder);
        File.WriteAllText(path, damaged);
        var e = Assert.Throws<InputException>(() => LatencySurrogate.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path + ":", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private string Damage(string kind, string text, TempFolder folder)
    {
        JsonNode Root() => JsonNode.Parse(text)!;
        // Structural damage is re-hashed so that the check behind the hash is what fails.
        string Rehashed(JsonNode root)
        {
            root["contentHash"] = "";
            var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
            try
            {
                var document = System.Text.Json.JsonSerializer.Deserialize<SurrogateDocument>(bytes, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase });
                root["contentHash"] = SurrogateFile.Hash(document!);
            }
            catch (System.Text.Json.JsonException)
            {
                // Damage that breaks deserialisation fails before the hash is looked at.
            }
            return root.ToJsonString();
        }
        JsonNode FirstTree(JsonNode root) => root["models"]!.AsArray().First(m => m!["trees"] is not null)!["trees"]!;
        switch (kind)
        {
            case "empty": return "";
            case "truncated": return text[..(text.Length / 2)];
            case "not-json-object": return "[1, 2, 3]";
            case "profile": return File.ReadAllText(ProfileFile(folder));
            case "other-format": { var r = Root(); r["format"] = "something-else"; return r.ToJsonString(); }
            case "future-version": { var r = Root(); r["schemaVersion"] = 2; return r.ToJsonString(); }
            case "edited-leaf":
            {
                var r = Root();
                var leaves = FirstTree(r)["trees"]![0]!["leaves"]!.AsArray();
                leaves[0] = leaves[0]!.GetValue<double>() + 0.5;
                return r.ToJsonString();
            }
            case "missing-field": { var r = Root(); r["models"]![0]!.AsObject().Remove("linear"); return Rehashed(r); }
            case "bad-child":
            {
                var r = Root();
                var tree = FirstTree(r)["trees"]!.AsArray().First(t => t!["splits"]!.AsArray().Count > 0)!;
                tree["splits"]![0]!["left"] = 0;
                return Rehashed(r);
            }
            case "unknown-feature":
            {
                var r = Root();
                var tree = FirstTree(r)["trees"]!.AsArray().First(t => t!["splits"]!.AsArray().Count > 0)!;
                tree["splits"]![0]!["feature"] = "colour";
                return Rehashed(r);
            }
            case "zero-temperature": { var r = Root(); FirstTree(r)["temperature"] = 0; return Rehashed(r); }
            case "unknown-operator": { var r = Root(); r["models"]![0]!["operator"] = "convolution"; return Rehashed(r); }
            default: throw new ArgumentException(kind);
        }
    }

    private string ProfileFile(TempFolder folder)
    {
        var path = folder.File("x.profile.json");
        Profiler.Profiles.ProfileWriter.Write(path, fixture.Profile, force: true);
        return path;
    }
}
