using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Tests.Profiles;

/// <summary>
/// Each kind of broken file is refused with one line that names the problem, the same line from
/// <see cref="ProfileValidator"/> and <see cref="ProfileReader"/>, and the file is left as it was.
/// </summary>
public class ProfileValidatorTests
{
    private const int Seed = 31;

    [Fact]
    public void AWrittenProfileIsValid()
    {
        using var folder = new TempFolder();
        var path = WriteSample(folder, Seed);

        var result = ProfileValidator.Validate(path);

        Assert.True(result.IsValid, $"seed {Seed}: {result.Message}");
        Assert.Null(result.Problem);
        Assert.NotNull(result.Document);
    }

    [Fact]
    public void TruncatedFile()
    {
        var problem = RefusedBytes(bytes => bytes[..(bytes.Length / 2)]);

        Assert.Contains("truncated", problem);
        Assert.Matches(new Regex(@"^cases\[\d+\]\.\w+: "), problem);
    }

    [Theory]
    [InlineData("cases", 3, "n", "\"12\"", "cases[3].n: expected a whole number, got the string \"12\"")]
    [InlineData("cases", 2, "medianUs", "\"12.5\"", "cases[2].medianUs: expected a number of microseconds, got the string \"12.5\"")]
    [InlineData("cases", 1, "converged", "1", "cases[1].converged: expected true or false, got the number 1")]
    [InlineData("cases", 4, "tokensIn", "8.5", "cases[4].tokensIn: expected a whole number, got the number 8.5")]
    [InlineData("settings", -1, "threads", "[2]", "settings.threads: expected a whole number, got an array")]
    [InlineData("fingerprint", -1, "cpuModel", "null", "fingerprint.cpuModel: expected a string, got null")]
    public void WrongTypes(string section, int index, string field, string json, string expected)
    {
        var problem = RefusedJson(root => Section(root, section, index)[field] = JsonNode.Parse(json));

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void NaNLiteral()
    {
        var problem = RefusedText(text => ReplaceField(text, caseIndex: 5, field: "medianUs", value: "NaN"));

        Assert.StartsWith("cases[5].medianUs: NaN is not a latency", problem);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void NamedNumberWrittenAsAString(string name)
    {
        var problem = RefusedJson(root => root["cases"]![5]!["medianUs"] = name);

        Assert.Equal($"cases[5].medianUs: {name} is not a latency", problem);
    }

    [Theory]
    [InlineData("medianUs", "-5", "cases[6].medianUs: -5 is not a latency (must be more than 0 µs)")]
    [InlineData("p10Us", "0", "cases[6].p10Us: 0 is not a latency (must be more than 0 µs)")]
    [InlineData("stdDevUs", "-0.25", "cases[6].stdDevUs: -0.25 is not a latency (must be at least 0 µs)")]
    [InlineData("latencyUs", "1e-320", "cases[6].latencyUs: 1e-320 is not a latency (below 0.000000001 µs, less than any timed sample can be)")]
    public void NegativeOrZeroLatency(string field, string value, string expected)
    {
        var problem = RefusedJson(root => root["cases"]![6]![field] = JsonNode.Parse(value));

        Assert.Equal(expected, problem);
    }

    [Fact]
    public void UnknownSchemaVersion()
    {
        var problem = RefusedJson(root => root["schemaVersion"] = 7);

        Assert.Equal("schemaVersion 7 is not supported (this tool reads 1 to 3)", problem);
    }

    [Fact]
    public void EditedMeasurementWithAStaleHash()
    {
        var problem = RefusedJson(root =>
        {
            var mean = root["cases"]![4]!["meanUs"]!.GetValue<double>();
            root["cases"]![4]!["meanUs"] = mean * 1.01;
        });

        Assert.Equal("contentHash does not match the measurements (edited after it was written?)", problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void EmptyFile(string content)
    {
        var problem = RefusedBytes(_ => Encoding.UTF8.GetBytes(content));

        Assert.Equal("the file is empty", problem);
    }

    [Fact]
    public void BinaryGarbage()
    {
        var garbage = new byte[4096];
        new Random(Seed).NextBytes(garbage);

        var problem = RefusedBytes(_ => garbage);

        Assert.Contains("is not UTF-8 text; this is not a profile file", problem);
    }

    [Fact]
    public void MissingFingerprint()
    {
        var problem = RefusedJson(root => root.AsObject().Remove("fingerprint"));

        Assert.Equal("fingerprint: required field is missing", problem);
    }

    [Fact]
    public void MoreThreadsThanCores()
    {
        var problem = RefusedJson(root =>
        {
            root["fingerprint"]!["logicalCores"] = 2;
            root["fingerprint"]!["threads"] = 64;
        });

        Assert.StartsWith("fingerprint.threads: 64 threads on 2 logical cores", problem);
    }

    [Fact]
    public void DuplicateCases()
    {
        var problem = RefusedJson(root => root["cases"]!.AsArray().Add(root["cases"]![2]!.DeepClone()));

        Assert.Matches(new Regex(@"^cases\[12\]: same case as cases\[2\] \(\w+ n=\d+->\d+ "), problem);
    }

    [Theory]
    [InlineData("p10Us", "cases[7].p10Us: ")]
    [InlineData("q1Us", "cases[7].q1Us: ")]
    public void UnorderedQuantiles(string field, string expectedStart)
    {
        var problem = RefusedJson(root => root["cases"]![7]![field] = root["cases"]![7]!["p90Us"]!.GetValue<double>() * 2);

        Assert.StartsWith(expectedStart, problem);
        Assert.Contains("quantiles must be ordered", problem);
    }

    [Fact]
    public void MoreTokensOutThanIn()
    {
        var problem = RefusedJson(root => root["cases"]![5]!["tokensOut"] = root["cases"]![5]!["tokensIn"]!.GetValue<int>() + 1);

        Assert.StartsWith("cases[5].tokensOut: ", problem);
    }

    [Fact]
    public void UnknownOperator()
    {
        var problem = RefusedJson(root => root["cases"]![0]!["operator"] = "softmax");

        Assert.StartsWith("cases[0].operator: unknown operator 'softmax' (known: attention,", problem);
    }

    [Fact]
    public void MisspeltField()
    {
        var problem = RefusedJson(root => root["cases"]![0]!["medainUs"] = 3);

        Assert.Equal("cases[0]: unknown field \"medainUs\"", problem);
    }

    [Fact]
    public void RepeatedField()
    {
        var problem = RefusedText(text => text.Replace("\"schemaVersion\": 3,", "\"schemaVersion\": 3, \"schemaVersion\": 3,"));

        Assert.Equal("schemaVersion: appears twice in the same object", problem);
    }

    [Fact]
    public void MissingFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("absent.json");

        var result = ProfileValidator.Validate(path);

        Assert.Equal($"{path}: file not found", result.Message);
        Assert.Equal(result.Message, Assert.Throws<InputException>(() => ProfileReader.Read(path)).Message);
    }

    // Writes a valid profile, lets `change` break its bytes, and checks the refusal's form; returns the problem.
    private static string RefusedBytes(Func<byte[], byte[]> change)
    {
        using var folder = new TempFolder();
        var path = WriteSample(folder, Seed);
        File.WriteAllBytes(path, change(File.ReadAllBytes(path)));
        var before = File.ReadAllBytes(path);
        var writeTime = File.GetLastWriteTimeUtc(path);

        var result = ProfileValidator.Validate(path);
        var error = Assert.Throws<InputException>(() => ProfileReader.Read(path));

        Assert.False(result.IsValid, $"seed {Seed}: the broken file was accepted");
        Assert.Null(result.Document);
        var problem = result.Problem!;
        Assert.Equal($"{path}: {problem}", result.Message);
        Assert.Equal(result.Message, error.Message);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain("Exception", problem);
        Assert.DoesNotMatch(new Regex(@"\bat \S+\.\S+\("), problem);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(path));
        return problem;
    }

    private static string RefusedText(Func<string, string> change) =>
        RefusedBytes(bytes => Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(bytes))));

    private static string RefusedJson(Action<JsonNode> change) =>
        RefusedText(text =>
        {
            var root = JsonNode.Parse(text)!;
            change(root);
            return root.ToJsonString();
        });

    private static JsonNode Section(JsonNode root, string section, int index) =>
        index < 0 ? root[section]! : root[section]![index]!;

    // Replaces a field's value in the file's text, for values JsonNode cannot hold (NaN is not JSON).
    private static string ReplaceField(string text, int caseIndex, string field, string value)
    {
        var matches = Regex.Matches(text, $"\"{field}\": [^,\\n]+");
        var match = matches[caseIndex];
        return text[..match.Index] + $"\"{field}\": {value}" + text[(match.Index + match.Length)..];
    }

    private static string WriteSample(TempFolder folder, int seed)
    {
        var path = folder.File("profile.json");
        ProfileWriter.Write(path, SampleProfiles.Random(seed), force: false);
        return path;
    }
}
