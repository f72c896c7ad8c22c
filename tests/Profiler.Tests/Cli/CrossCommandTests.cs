using Profiler.Tests.Search;
using System.Text.Json;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary><c>cross</c>: plans searched for different runtimes, each measured on every runtime.</summary>
public sealed class CrossCommandTests
{
    private static readonly int Seed = Random.Shared.Next(1, 1_000_000);

    [ShippedCheckpointFact]
    public void Every_plan_is_measured_on_every_runtime_and_set_against_the_runtimes_own_plan()
    {
        var random = new Random(Seed);
        using var folder = new TempFolder();
        string torchPlan = folder.File("torch.json"), onnxPlan = folder.File("onnx.json");
        File.WriteAllText(torchPlan, $"[{{\"layer\": {random.Next(0, 4)}, \"keep\": {random.Next(4, 100)}, \"operator\": \"prune\", \"score\": \"norm\"}}]");
        // A search result reads as its plan.
        File.WriteAllText(onnxPlan, $"{{\"plan\": [{{\"layer\": {random.Next(0, 4)}, \"keep\": {random.Next(4, 100)}, \"operator\": \"pool\"}}]}}");

        var result = CliProcess.Run("cross", "--plan", $"torch={torchPlan}", "--plan", $"onnx={onnxPlan}", "--rounds", "3", "--count", "60", "--threads", "1", "--json");

        Assert.True(result.ExitCode == 0, $"seed {Seed}: exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        var plans = json.RootElement.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(["torch", "onnx"], plans.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(0, plans[0].GetProperty("accuracyVersusFirstPoints").GetProperty("points").GetDouble());
        foreach (var plan in plans)
        {
            Assert.Equal(60, plan.GetProperty("questions").GetInt32());
            var runtimes = plan.GetProperty("runtimes").EnumerateArray().ToList();
            Assert.Equal(["torch", "onnx"], runtimes.Select(r => r.GetProperty("backend").GetString()));
            foreach (var runtime in runtimes)
            {
                var share = runtime.GetProperty("share");
                Assert.True(share.GetProperty("low").GetDouble() <= share.GetProperty("median").GetDouble(), result.Stdout);
                bool own = runtime.GetProperty("backend").GetString() == plan.GetProperty("name").GetString();
                Assert.Equal(own, runtime.GetProperty("versusOwnPlan").ValueKind == JsonValueKind.Null);
            }
        }
    }

    [Theory]
    [InlineData("torch", "--backends", "torch,tensorflow", "tensorflow")]
    [InlineData("torch-no-file", "--rounds", "3", "NAME=FILE")]
    [InlineData("torch=missing.json", "--rounds", "3", "plan file not found")]
    public void Bad_plans_and_runtimes_are_one_line_errors(string plan, string option, string value, string expected)
    {
        using var folder = new TempFolder();
        var file = folder.File("plan.json");
        File.WriteAllText(file, "[{\"layer\": 0, \"keep\": 40, \"operator\": \"prune\", \"score\": \"norm\"}]");
        var given = plan == "torch" ? $"torch={file}" : plan;

        var result = CliProcess.Run("cross", "--plan", given, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(CliProcess.HasStackTrace(result.Stderr), result.Stderr);
    }
}
