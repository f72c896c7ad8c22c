using System.Text;
using System.Text.Json.Nodes;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary>The ten kinds of malformed profile, each through the real program: exit 2, one line, no stack trace.</summary>
public sealed class MalformedProfileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("profiler-malformed-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static JsonNode Edit(string json, Action<JsonNode> edit)
    {
        var node = JsonNode.Parse(json)!;
        edit(node);
        return node;
    }

    public static TheoryData<string> Kinds => new()
    {
        "truncated", "wrong-types", "nan", "negative-latency", "unknown-schema-version", "stale-hash", "empty",
        "binary-garbage", "missing-fingerprint", "duplicate-cases",
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Validate_and_show_refuse_it_with_exit_2_and_one_line(string kind)
    {
        int seed = Random.Shared.Next();
        var good = Path.Combine(directory, "good.profile.json");
        ProfileWriter.Write(good, SampleProfiles.Random(seed), force: true);
        var json = File.ReadAllText(good);
        byte[] bad = kind switch
        {
            "truncated" => Encoding.UTF8.GetBytes(json[..(json.Length / 2)]),
            "wrong-types" => Bytes(Edit(json, n => n["cases"]![0]!["n"] = "many")),
            "nan" => Encoding.UTF8.GetBytes(ReplaceFirstNumber(json, "\"medianUs\"", "NaN")),
            "negative-latency" => Bytes(Edit(json, n => n["cases"]![1]!["medianUs"] = -3.5)),
            "unknown-schema-version" => Bytes(Edit(json, n => n["schemaVersion"] = 99)),
            "stale-hash" => Bytes(Edit(json, n => n["cases"]![0]!["medianUs"] = n["cases"]![0]!["medianUs"]!.GetValue<double>() * 1.1)),
            "empty" => [],
            "binary-garbage" => Enumerable.Range(0, 512).Select(_ => (byte)Random.Shared.Next(256)).ToArray(),
            "missing-fingerprint" => Bytes(Edit(json, n => n.AsObject().Remove("fingerprint"))),
            "duplicate-cases" => Bytes(Edit(json, n => n["cases"]!.AsArray().Add(n["cases"]![0]!.DeepClone()))),
            _ => throw new ArgumentException(kind),
        };
        var path = Path.Combine(directory, kind + ".profile.json");
        File.WriteAllBytes(path, bad);

        foreach (var command in new[] { "validate", "show" })
        {
            var result = CliProcess.Run(command, path);
            Assert.True(result.ExitCode == 2, $"{command} {kind} (seed {seed}): exit {result.ExitCode}, {result.Stderr}");
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains(path, lines[0]);
            Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
        }
        Assert.Equal(bad, File.ReadAllBytes(path));
    }

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static string ReplaceFirstNumber(string json, string property, string replacement)
    {
        int at = json.IndexOf(property, StringComparison.Ordinal);
        int colon = json.IndexOf(':', at);
        int end = json.IndexOfAny([',', '\n', '}'], colon);
        return json[..(colon + 1)] + " " + replacement + json[end..];
    }
}
