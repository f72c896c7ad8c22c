using System.Text.Json;
using Profiler.Tests.Cli;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.CostModel;

/// <summary><c>predict --model tiny --plan P --measure</c>: the task's model timed under a plan, beside the prediction.</summary>
public class PredictPlanTests
{
    private static readonly int Seed = Random.Shared.Next(1, 1_000_000);

    private static string Surrogate => Directory.GetFiles(RepositoryFiles.ProfilesFolder, "torch-cpu-*-tiny.surrogate.json").First();

    [Fact]
    public void A_plan_measured_with_predict_reports_its_measured_share_beside_the_predicted_one()
    {
        var random = new Random(Seed);
        using var folder = new TempFolder();
        var plan = folder.File("plan.json");
        int layer = random.Next(0, 4), keep = random.Next(4, 100);
        File.WriteAllText(plan, $"[{{\"layer\": {layer}, \"keep\": {keep}, \"operator\": \"prune\", \"score\": \"norm\"}}]");

        var result = CliProcess.Run("predict", Surrogate, "--model", "tiny", "--plan", plan, "--measure", "--rounds", "4", "--allow-mismatch", "--json");

        Assert.True(result.ExitCode == 0, $"seed {Seed}: exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        double share = root.GetProperty("measuredShare").GetDouble(), predicted = root.GetProperty("predictedShare").GetDouble();
        Assert.True(root.GetProperty("measuredShareLow").GetDouble() <= share && share <= root.GetProperty("measuredShareHigh").GetDouble(), $"seed {Seed}: {result.Stdout}");
        // Four rounds beside the rest of the suite on two cores: a measured share can land far from the prediction
        // (2.05 once, where 0.97 was predicted), so only its sign and finiteness are asserted.
        Assert.True(double.IsFinite(share) && share > 0 && predicted is > 0 and < 1, $"seed {Seed}: {result.Stdout}");
        Assert.True(root.GetProperty("measuredMs").GetDouble() > 0 && root.GetProperty("measuredUnreducedMs").GetDouble() > 0, $"seed {Seed}: {result.Stdout}");
        Assert.Equal(100 * (predicted - share), root.GetProperty("shareErrorPoints").GetDouble(), 9);
    }

    [Fact]
    public void A_plan_measured_on_onnx_runtime_says_so()
    {
        var random = new Random(Seed);
        using var folder = new TempFolder();
        var plan = folder.File("plan.json");
        File.WriteAllText(plan, $"[{{\"layer\": {random.Next(0, 4)}, \"keep\": {random.Next(4, 100)}, \"operator\": \"pool\"}}]");

        var result = CliProcess.Run("predict", Surrogate, "--model", "tiny", "--plan", plan, "--measure", "--backend", "onnx", "--rounds", "3", "--allow-mismatch", "--json");

        Assert.True(result.ExitCode == 0, $"seed {Seed}: exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("onnx", json.RootElement.GetProperty("measuredOn").GetString());
        Assert.Contains("ONNX export", result.Stderr);
        Assert.True(double.IsFinite(json.RootElement.GetProperty("measuredShare").GetDouble()), result.Stdout);
    }

    [Theory]
    [InlineData("--backend", "tensorflow", "tensorflow")]
    [InlineData("--rounds", "3", "--backend goes with")]
    public void A_backend_that_is_unknown_or_has_no_plan_to_measure_is_bad_input(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        var plan = folder.File("plan.json");
        File.WriteAllText(plan, "[{\"layer\": 0, \"keep\": 40, \"operator\": \"prune\", \"score\": \"norm\"}]");
        string[] args = option == "--backend"
            ? ["predict", Surrogate, "--model", "tiny", "--plan", plan, "--measure", option, value, "--allow-mismatch"]
            : ["predict", Surrogate, "--model", "tiny", "--backend", "onnx", option, value];

        var result = CliProcess.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(CliProcess.HasStackTrace(result.Stderr), result.Stderr);
    }

    [Fact]
    public void A_plan_is_measured_only_on_the_task_models_own_shape()
    {
        using var folder = new TempFolder();
        var plan = folder.File("plan.json");
        File.WriteAllText(plan, "[{\"layer\": 0, \"keep\": 40, \"operator\": \"prune\", \"score\": \"norm\"}]");

        var result = CliProcess.Run("predict", Surrogate, "--model", "tiny", "--plan", plan, "--measure", "--hidden", "256", "--allow-mismatch");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("task's model", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(CliProcess.HasStackTrace(result.Stderr), result.Stderr);
    }
}
