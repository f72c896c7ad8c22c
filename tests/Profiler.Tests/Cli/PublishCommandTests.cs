using Profiler.Tests.Onnx;
using System.Text.Json.Nodes;
using System.Text.Json;
using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Profiles;
using static Profiler.Tests.Onnx.ProfileFixtures;

namespace Profiler.Tests.Cli;

/// <summary><c>publish</c> and <c>list</c>: canonical names, --force, surrogates, and an index that lists only what is there.</summary>
public sealed class PublishCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-publish-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Published => Path.Combine(folder, "published");

    private string Source(string name, ProfileDocument document) => Write(Path.Combine(folder, name), document);

    private static ProfileDocument TorchCpu(double medianUs = 50) =>
        Document("torch", "cpu", "cpu", [(Case(OperatorKind.Mlp, 64), medianUs)]);

    private IReadOnlyList<string> IndexedFiles()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Published, ProfileIndex.FileName)));
        return json.RootElement.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("file").GetString()!).ToList();
    }

    [Fact]
    public void Publish_copies_under_the_canonical_name_and_indexes_it()
    {
        var source = Source("my-run.profile.json", TorchCpu());
        var result = CliProcess.Run("publish", source, "--dir", Published);
        Assert.True(result.ExitCode == 0, result.Stderr);
        const string name = "torch-cpu-amd-epyc-7b13-2t-tiny.profile.json";
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(Published, name)));
        Assert.Equal([name], IndexedFiles());

        var gpu = Source("gpu.profile.json", Document("onnx", "cuda:0", "CUDAExecutionProvider", [(Case(OperatorKind.Mlp, 64), 5)],
            gpu: "NVIDIA H100 80GB HBM3", threads: 1, preset: "llava-1.5-7b"));
        Assert.Equal(0, CliProcess.Run("publish", gpu, "--dir", Published).ExitCode);
        Assert.Contains("onnx-cuda0-nvidia-h100-80gb-1t-llava-1.5-7b.profile.json", IndexedFiles());

        var list = CliProcess.Run("list", "--dir", Published, "--json");
        Assert.Equal(0, list.ExitCode);
        using var listed = JsonDocument.Parse(list.Stdout);
        Assert.Equal(2, listed.RootElement.GetArrayLength());
        Assert.All(listed.RootElement.EnumerateArray(), e => Assert.True(e.GetProperty("present").GetBoolean()));
    }

    [Fact]
    public void A_published_profile_is_replaced_only_with_force()
    {
        Assert.Equal(0, CliProcess.Run("publish", Source("first.profile.json", TorchCpu(50)), "--dir", Published).ExitCode);
        var second = Source("second.profile.json", TorchCpu(60));
        var refused = CliProcess.Run("publish", second, "--dir", Published);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Stderr);
        Assert.False(CliProcess.HasStackTrace(refused.Stderr));

        Assert.Equal(0, CliProcess.Run("publish", second, "--dir", Published, "--force").ExitCode);
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(Path.Combine(Published, "torch-cpu-amd-epyc-7b13-2t-tiny.profile.json")));
    }

    [Fact]
    public void The_index_never_lists_a_file_that_is_not_there()
    {
        Assert.Equal(0, CliProcess.Run("publish", Source("a.profile.json", TorchCpu()), "--dir", Published).ExitCode);
        File.Delete(Path.Combine(Published, "torch-cpu-amd-epyc-7b13-2t-tiny.profile.json"));
        var onnx = Source("b.profile.json", Document("onnx", "cpu", "CPUExecutionProvider", [(Case(OperatorKind.Mlp, 64), 40)]));
        Assert.Equal(0, CliProcess.Run("publish", onnx, "--dir", Published).ExitCode);
        Assert.Equal(["onnx-cpu-amd-epyc-7b13-2t-tiny.profile.json"], IndexedFiles());
    }

    [Fact]
    public void A_broken_profile_in_the_folder_stops_publishing_before_anything_is_written()
    {
        Directory.CreateDirectory(Published);
        File.WriteAllText(Path.Combine(Published, "broken.profile.json"), "{}");
        var result = CliProcess.Run("publish", Source("a.profile.json", TorchCpu()), "--dir", Published);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.profile.json", result.Stderr);
        Assert.Equal(["broken.profile.json"], Directory.GetFiles(Published).Select(Path.GetFileName));
    }

    [Fact]
    public void A_surrogate_is_published_only_with_the_profile_it_was_fitted_on()
    {
        // The published tiny profile and the surrogate fitted on it: a real pair.
        var source = Path.Combine(folder, "a.profile.json");
        File.Copy(Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.profile.json"), source);
        var right = Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json");
        var fitted = SurrogateFile.Read(right);

        // A sound surrogate of another profile, a stale hash, and a three-field fake: each refused before anything is written.
        var other = Path.Combine(folder, "other.surrogate.json");
        SurrogateFile.Write(other, fitted with { Profile = fitted.Profile with { ContentHash = "sha256:" + new string('0', 64) } }, force: false);
        var stale = Path.Combine(folder, "stale.surrogate.json");
        var edited = JsonNode.Parse(File.ReadAllText(right))!;
        edited["models"]![0]!["reason"] = "edited after it was written";
        File.WriteAllText(stale, edited.ToJsonString());
        var fake = Path.Combine(folder, "fake.surrogate.json");
        File.WriteAllText(fake, JsonSerializer.Serialize(new { format = "profiler-surrogate", profile = new { contentHash = fitted.Profile.ContentHash } }));
        foreach (var (bad, expected) in new[] { (other, "fitted on another profile"), (stale, "contentHash does not match"), (fake, "schemaVersion") })
        {
            var refused = CliProcess.Run("publish", source, "--surrogate", bad, "--dir", Published);
            Assert.True(refused.ExitCode == 2, $"{bad}: exit {refused.ExitCode} {refused.Stderr}");
            Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, refused.Stderr);
            Assert.False(Directory.Exists(Published) && Directory.EnumerateFiles(Published).Any());
        }

        var published = CliProcess.Run("publish", source, "--surrogate", right, "--dir", Published);
        Assert.True(published.ExitCode == 0, published.Stderr);
        var beside = Path.Combine(Published, "torch-cpu-amd-epyc-2t-tiny.surrogate.json");
        Assert.Equal(File.ReadAllBytes(right), File.ReadAllBytes(beside));

        // A new profile under the same name takes the old surrogate away: it was fitted on other measurements.
        var document = ProfileReader.Read(source);
        var later = document with { Fingerprint = document.Fingerprint with { Date = document.Fingerprint.Date.AddHours(1) } };
        var remeasured = Write(Path.Combine(folder, "b.profile.json"), later.WithComputedHash());
        Assert.Equal(0, CliProcess.Run("publish", remeasured, "--dir", Published, "--force").ExitCode);
        Assert.False(File.Exists(beside));
    }

    [Fact]
    public void A_very_long_cpu_name_is_published_under_a_shortened_name()
    {
        var rng = new Random();
        var cpu = string.Concat(Enumerable.Range(0, 300).Select(_ => (char)('a' + rng.Next(26))));
        var source = Source("long.profile.json", Document("torch", "cpu", "cpu", [(Case(OperatorKind.Mlp, 64), 50)], cpu: cpu));
        var result = CliProcess.Run("publish", source, "--dir", Published, "--json");
        Assert.True(result.ExitCode == 0, $"{cpu}: {result.Stderr}");
        var name = Assert.Single(IndexedFiles());
        Assert.StartsWith("torch-cpu-" + cpu[..20], name);
        Assert.True(name.Length <= 100, name);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(Path.Combine(Published, name)));
    }

    [Fact]
    public void Markup_in_a_published_profile_is_printed_as_text_by_list_and_index()
    {
        var source = Source("m.profile.json", Document("torch", "cpu [/]", "cpu[red]", [(Case(OperatorKind.Mlp, 64), 50)], cpu: "AMD [bold]EPYC[/]", preset: "tiny"));
        Assert.Equal(0, CliProcess.Run("publish", source, "--dir", Published).ExitCode);
        foreach (var command in new[] { "list", "index" })
        {
            var result = CliProcess.Run(command, "--dir", Published);
            Assert.True(result.ExitCode == 0, $"{command}: {result.Stderr}");
            Assert.Contains("[/]", result.Stdout);
        }
    }

    [Fact]
    public void List_never_looks_up_an_entry_outside_its_folder()
    {
        Assert.Equal(0, CliProcess.Run("publish", Source("a.profile.json", TorchCpu()), "--dir", Published).ExitCode);
        var index = Path.Combine(Published, ProfileIndex.FileName);
        var outside = Path.Combine(folder, "outside.profile.json");
        File.WriteAllText(outside, "exists");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"torch-cpu-amd-epyc-7b13-2t-tiny.profile.json\"", "\"../outside.profile.json\""));

        var result = CliProcess.Run("list", "--dir", Published, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var listed = JsonDocument.Parse(result.Stdout);
        var entry = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.False(entry.GetProperty("present").GetBoolean());
        Assert.True(entry.GetProperty("outsideFolder").GetBoolean());
        Assert.Contains("outside", result.Stderr);
    }

    [Fact]
    public void List_without_an_index_is_bad_input()
    {
        var result = CliProcess.Run("list", "--dir", Path.Combine(folder, "nothing"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("index.json does not exist", result.Stderr);
    }
}
