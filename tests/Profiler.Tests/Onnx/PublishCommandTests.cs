using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Cli;
using static Profiler.Tests.Onnx.ProfileFixtures;

namespace Profiler.Tests.Onnx;

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
        var document = TorchCpu();
        var source = Source("a.profile.json", document);
        var wrong = Path.Combine(folder, "wrong.surrogate.json");
        File.WriteAllText(wrong, JsonSerializer.Serialize(new { format = "profiler-surrogate", profile = new { contentHash = "sha256:" + new string('0', 64) } }));
        var refused = CliProcess.Run("publish", source, "--surrogate", wrong, "--dir", Published);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("fitted on another profile", refused.Stderr);
        Assert.False(Directory.Exists(Published) && Directory.EnumerateFiles(Published).Any());

        var right = Path.Combine(folder, "right.surrogate.json");
        File.WriteAllText(right, JsonSerializer.Serialize(new { format = "profiler-surrogate", profile = new { contentHash = document.ContentHash } }));
        Assert.Equal(0, CliProcess.Run("publish", source, "--surrogate", right, "--dir", Published).ExitCode);
        var beside = Path.Combine(Published, "torch-cpu-amd-epyc-7b13-2t-tiny.surrogate.json");
        Assert.Equal(File.ReadAllBytes(right), File.ReadAllBytes(beside));

        // A new profile under the same name takes the old surrogate away: it was fitted on other measurements.
        Assert.Equal(0, CliProcess.Run("publish", Source("b.profile.json", TorchCpu(70)), "--dir", Published, "--force").ExitCode);
        Assert.False(File.Exists(beside));
    }

    [Fact]
    public void List_without_an_index_is_bad_input()
    {
        var result = CliProcess.Run("list", "--dir", Path.Combine(folder, "nothing"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("index.json does not exist", result.Stderr);
    }
}
