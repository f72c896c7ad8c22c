using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Profiler.Tests.Profiles;
using Profiler.Tests.Search;

namespace Profiler.Tests.Cli;

/// <summary><c>export</c> from the command line: the file, its summary and check, and bad input refused in one line.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [ShippedCheckpointFact]
    public void Export_writes_a_model_onnx_runtime_loads_and_checks_it_against_torch()
    {
        var plan = folder.File("merge.plan.json");
        File.WriteAllText(plan, """[{"layer": 1, "keep": 60, "operator": "merge"}]""");
        var model = folder.File("model.onnx");
        var run = CliProcess.Run("export", "--plan", plan, "--out", model, "--batch", "3", "--check", "20", "--threads", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var summary = JsonDocument.Parse(run.Stdout);
        var root = summary.RootElement;
        Assert.Equal(3, root.GetProperty("batch").GetInt32());
        var check = root.GetProperty("check");
        Assert.Equal(20, check.GetProperty("questions").GetInt32());
        Assert.True(check.GetProperty("passed").GetBoolean(), run.Stdout);

        using var session = new InferenceSession(model);
        Assert.Equal([3, 144, 108], session.InputMetadata["patches"].Dimensions);
        Assert.Equal([3, 2], session.InputMetadata["words"].Dimensions);
        Assert.Equal([3, 12], session.OutputMetadata["logits"].Dimensions);

        var again = CliProcess.Run("export", "--out", model);
        AssertRefused(again, "--force");
        Assert.Equal(root.GetProperty("bytes").GetInt64(), new FileInfo(model).Length);
    }

    [Theory]
    [InlineData("""[{"layer": 9, "keep": 75, "operator": "prune", "score": "cls"}]""", "layers 0..")]
    [InlineData("""[{"layer": 1, "keep": 500, "operator": "merge"}]""", "keep 500")]
    [InlineData("""{"layer": 1}""", "not a plan")]
    [InlineData("""[{"layer": 1, "keep": 75, "operator": "prune", "score": "random"}]""", "random scores")]
    public void A_bad_or_incompatible_plan_exits_2_and_writes_nothing(string json, string expected)
    {
        var plan = folder.File("bad.plan.json");
        File.WriteAllText(plan, json);
        var model = folder.File("model.onnx");
        AssertRefused(CliProcess.Run("export", "--plan", plan, "--out", model), expected);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void A_bad_checkpoint_exits_2_and_writes_nothing()
    {
        var checkpoint = folder.File("bad.ckpt");
        File.WriteAllText(checkpoint, "not a checkpoint");
        var model = folder.File("model.onnx");
        AssertRefused(CliProcess.Run("export", "--checkpoint", checkpoint, "--out", model), "bad.ckpt");
        AssertRefused(CliProcess.Run("export", "--checkpoint", folder.File("missing.ckpt"), "--out", model), "not found");
        Assert.False(File.Exists(model));
    }

    [Theory]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--check", "0", "--check")]
    [InlineData("--check", "many", "--check")]
    [InlineData("--threads", "0", "--threads")]
    public void Bad_options_exit_2(string option, string value, string expected)
    {
        var model = folder.File("model.onnx");
        AssertRefused(CliProcess.Run("export", "--out", model, option, value), expected);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void An_existing_file_is_kept_without_force()
    {
        var model = folder.File("model.onnx");
        File.WriteAllText(model, "keep me");
        AssertRefused(CliProcess.Run("export", "--out", model), "--force");
        Assert.Equal("keep me", File.ReadAllText(model));
        AssertRefused(CliProcess.Run("export", "--out", folder.Path), "is a folder");
    }

    private static void AssertRefused(CliProcess.Result result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
    }
}
