using Profiler.Tests.CostModel;
using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary>fit and predict as a user runs them: exit codes, JSON on stdout, one-line errors.</summary>
public class FitCommandTests
{
    private static readonly int Seed = Random.Shared.Next(1, 1_000_000);

    [Fact]
    public void FitThenPredictAnOperatorAndAModel()
    {
        using var folder = new TempFolder();
        var profile = folder.File("cpu.profile.json");
        ProfileWriter.Write(profile, SyntheticProfiles.Create(Seed), force: false);

        var fit = CliProcess.Run("fit", profile, "--json", "--plots", folder.File("plots"));
        Assert.True(fit.ExitCode == 0, $"seed {Seed}: fit exited {fit.ExitCode}: {fit.Stderr}");
        var surrogate = folder.File("cpu.surrogate.json");
        Assert.True(File.Exists(surrogate), $"seed {Seed}: no surrogate beside the profile");
        using (var report = JsonDocument.Parse(fit.Stdout))
            Assert.Equal(surrogate, report.RootElement.GetProperty("surrogate").GetString());
        Assert.True(File.Exists(folder.File("plots", "attention.png")) && File.Exists(folder.File("plots", "predicted-vs-measured.png")), $"seed {Seed}: plots missing");

        var op = CliProcess.Run("predict", surrogate, "--op", "attention", "--tokens", "100.5", "--json");
        Assert.True(op.ExitCode == 0, $"seed {Seed}: predict --op exited {op.ExitCode}: {op.Stderr}");
        using (var json = JsonDocument.Parse(op.Stdout))
        {
            Assert.True(json.RootElement.GetProperty("latencyMs").GetDouble() > 0);
            Assert.True(json.RootElement.GetProperty("gradientMsPerToken").GetDouble() > 0);
        }

        var model = CliProcess.Run("predict", surrogate, "--model", "tiny", "--json");
        Assert.True(model.ExitCode == 0, $"seed {Seed}: predict --model exited {model.ExitCode}: {model.Stderr}");
        using (var json = JsonDocument.Parse(model.Stdout))
            Assert.Equal(Preset.Tiny.Shape.Layers, json.RootElement.GetProperty("layers").GetArrayLength());

        var again = CliProcess.Run("fit", profile);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Stderr);
    }

    [Fact]
    public void MismatchedFingerprintIsRefusedUnlessAllowed()
    {
        using var folder = new TempFolder();
        var profile = folder.File("a.profile.json");
        ProfileWriter.Write(profile, SyntheticProfiles.Create(Seed), force: false);
        Assert.Equal(0, CliProcess.Run("fit", profile, "--json").ExitCode);
        var other = folder.File("b.profile.json");
        ProfileWriter.Write(other, SyntheticProfiles.Create(Seed, fingerprint: SyntheticProfiles.Fingerprint("Other CPU")), force: false);

        var refused = CliProcess.Run("predict", folder.File("a.surrogate.json"), "--op", "mlp", "--tokens", "64", "--profile", other);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--allow-mismatch", refused.Stderr);
        Assert.False(CliProcess.HasStackTrace(refused.Stderr), refused.Stderr);

        var allowed = CliProcess.Run("predict", folder.File("a.surrogate.json"), "--op", "mlp", "--tokens", "64", "--profile", other, "--allow-mismatch", "--json");
        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("allowed by --allow-mismatch", allowed.Stdout);
    }

    [Fact]
    public void BadInputGivesExitTwoAndOneLine()
    {
        using var folder = new TempFolder();
        var few = folder.File("few.profile.json");
        ProfileWriter.Write(few, SyntheticProfiles.WithFewCases(SyntheticProfiles.Create(Seed), OperatorKind.Attention, keep: 2), force: false);
        var notSurrogate = folder.File("x.surrogate.json");
        File.WriteAllText(notSurrogate, "{\"format\": \"profiler-surrogate\", \"schemaVersion\": 1}");
        foreach (var args in new[]
        {
            new[] { "fit", few },
            ["predict", notSurrogate, "--op", "attention", "--tokens", "10"],
            ["predict", folder.File("missing.surrogate.json"), "--model", "tiny"],
        })
        {
            var result = CliProcess.Run(args);
            Assert.True(result.ExitCode == 2, $"seed {Seed}: {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.False(CliProcess.HasStackTrace(result.Stderr), result.Stderr);
        }
    }
}
