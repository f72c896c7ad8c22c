using Profiler.Tests.Onnx;
using System.Text.Json;
using Profiler.Core;
using static Profiler.Tests.Onnx.ProfileFixtures;

namespace Profiler.Tests.Cli;

/// <summary><c>compare</c>: only identical cases meet; ratios, intervals, disagreements on the cheapest operator, plot.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-compare-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Profiles_without_a_common_case_are_refused()
    {
        var a = Write(Path.Combine(folder, "a.profile.json"), Document("torch", "cpu", "cpu", [(Case(OperatorKind.Mlp, 64), 50)]));
        // Same operator and tokens, other hidden size: not the same case.
        var b = Write(Path.Combine(folder, "b.profile.json"), Document("onnx", "cpu", "CPUExecutionProvider", [(Case(OperatorKind.Mlp, 64, hidden: 256), 50)]));
        var result = CliProcess.Run("compare", a, b);
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("no case in common", lines[0]);
        Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
    }

    [Fact]
    public void Common_cases_get_ratios_with_intervals_and_the_rest_is_listed()
    {
        var a = Write(Path.Combine(folder, "a.profile.json"), Document("torch", "cpu", "cpu",
            [(Case(OperatorKind.Mlp, 64), 100), (Case(OperatorKind.Attention, 64), 80), (Case(OperatorKind.LayerNorm, 64), 5)]));
        var b = Write(Path.Combine(folder, "b.profile.json"), Document("onnx", "cpu", "CPUExecutionProvider",
            [(Case(OperatorKind.Mlp, 64), 50), (Case(OperatorKind.Attention, 64), 120), (Case(OperatorKind.LayerNorm, 64, variant: "x"), 5)]));
        var result = CliProcess.Run("compare", a, b, "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
        Assert.Equal(2, cases.Count);
        var mlp = cases[Case(OperatorKind.Mlp, 64).Key];
        Assert.Equal(0.5, mlp.GetProperty("ratio").GetDouble(), 2);
        Assert.InRange(mlp.GetProperty("ratioLow").GetDouble(), 0.45, 0.5);
        Assert.InRange(mlp.GetProperty("ratioHigh").GetDouble(), 0.5, 0.55);
        Assert.Equal(1.5, cases[Case(OperatorKind.Attention, 64).Key].GetProperty("ratio").GetDouble(), 2);
        // The variant makes it another case: it is listed, not compared.
        Assert.Equal([Case(OperatorKind.LayerNorm, 64).Key], json.RootElement.GetProperty("onlyInA").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("not compared", result.Stderr);
    }

    [Fact]
    public void Disagreement_on_the_cheapest_reduction_is_reported_and_plotted()
    {
        var prune = Case(OperatorKind.Prune, 144, 72, variant: "norm");
        var merge = Case(OperatorKind.Merge, 144, 72);
        var pool = Case(OperatorKind.Pool, 144, 36);
        var a = Write(Path.Combine(folder, "a.profile.json"), Document("torch", "cpu", "cpu", [(prune, 10), (merge, 30), (pool, 8)]));
        var b = Write(Path.Combine(folder, "b.profile.json"), Document("onnx", "cpu", "CPUExecutionProvider", [(prune, 40), (merge, 20), (pool, 9)]));
        var png = Path.Combine(folder, "plots", "compare.png");

        var result = CliProcess.Run("compare", a, b, "--json", "--plot", png);
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var disagreement = Assert.Single(json.RootElement.GetProperty("disagreements").EnumerateArray());
        Assert.Equal(prune.Key, disagreement.GetProperty("cheapestInA").GetString());
        Assert.Equal(merge.Key, disagreement.GetProperty("cheapestInB").GetString());
        Assert.True(disagreement.GetProperty("firm").GetBoolean());
        Assert.Equal(144, disagreement.GetProperty("tokensIn").GetInt32());
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        var table = CliProcess.Run("compare", a, b);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("disagree on the cheapest", table.Stdout);
    }
}
