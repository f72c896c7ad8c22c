using Profiler.Tests.Check;
using System.Text.Json;
using Profiler.Core;
using Profiler.CostModel.Surrogate;
using Profiler.Measurement.Backends.Torch;
using Profiler.Measurement.Engine;
using Profiler.Profiles;
using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary>
/// <c>check</c>, the transfer in <c>predict</c>, <c>list</c>'s stale column and the suite in a profile run, through the
/// real program. The profiles and surrogates here carry suites a million times slower than any machine, so the verdicts
/// do not depend on how fast this one is.
/// </summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string PublishedProfile => Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.profile.json");

    private static string PublishedSurrogate => Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json");

    // The torch backend's version here, so that a made-up profile differs from this machine only where a test says.
    private static string TorchVersion()
    {
        using var backend = new TorchBackend("cpu", 1);
        return backend.Describe().Version;
    }

    // A suite whose every case took about a second: whatever this machine is, it is far faster.
    private static ReferenceSuite SlowSuite(int seed)
    {
        var rng = new Random(seed);
        using var torch = new TorchBackend("cpu", 1);
        var descriptions = ReferenceProbe.Descriptions(torch);
        return new ReferenceSuite
        {
            Cases = ReferenceCaseNames.All.Select(n => new ReferenceCase(n, descriptions[n],
                LatencyEstimate.FromNanoseconds(Enumerable.Range(0, 60).Select(_ => 1e9 * (1 + 0.1 * rng.NextDouble())).ToArray()), 1, 1, 1)).ToList(),
        };
    }

    private string SlowProfile(string name, string backendVersion)
    {
        var doc = SampleProfiles.Random(17);
        var profile = doc with
        {
            Fingerprint = doc.Fingerprint with { Backend = "torch", BackendVersion = backendVersion, Device = "cpu", Threads = 1, DType = "float32", Machine = MachineProbe.Collect() },
            Reference = SlowSuite(17),
        };
        var path = folder.File(name);
        ProfileWriter.Write(path, profile, force: false);
        return path;
    }

    [Fact]
    public void Check_says_a_published_schema_2_profile_is_stale_and_still_shows_this_machine()
    {
        var result = CliProcess.Run("check", RepositoryFiles.SchemaTwoProfile, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("stale", json.RootElement.GetProperty("verdict").GetString());
        Assert.True(json.RootElement.GetProperty("stale").GetBoolean());
        Assert.Contains("re-profile", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("suiteHere").GetArrayLength());
        Assert.Contains(json.RootElement.GetProperty("differences").EnumerateArray(), d => d.GetProperty("field").GetString() == "machine.cpuFlags");
        Assert.True(json.RootElement.GetProperty("wallSeconds").GetDouble() < 15);
    }

    [Fact]
    public void Check_gives_factors_and_a_transfer_verdict_and_names_another_backend_version()
    {
        var slow = CliProcess.Run("check", SlowProfile("slow.profile.json", TorchVersion()), "--json");
        var other = CliProcess.Run("check", SlowProfile("other.profile.json", "libtorch 0.0.1"), "--json");

        Assert.True(slow.ExitCode == 0, slow.Stderr);
        using var json = JsonDocument.Parse(slow.Stdout);
        Assert.Equal("applies-after-transfer", json.RootElement.GetProperty("verdict").GetString());
        var call = json.RootElement.GetProperty("factors").GetProperty("call");
        Assert.True(call.GetProperty("high").GetDouble() < 1e-3, call.ToString());
        Assert.True(call.GetProperty("low").GetDouble() <= call.GetProperty("value").GetDouble());
        Assert.False(call.GetProperty("agrees").GetBoolean());
        Assert.True(other.ExitCode == 0, other.Stderr);
        using var otherJson = JsonDocument.Parse(other.Stdout);
        Assert.Equal("does-not-apply", otherJson.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("another backend version (libtorch 0.0.1 in the profile", otherJson.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_profile_of_a_device_this_machine_lacks_does_not_apply()
    {
        var doc = SampleProfiles.Random(19);
        var path = folder.File("gpu.profile.json");
        ProfileWriter.Write(path, doc with
        {
            Fingerprint = doc.Fingerprint with { Backend = "torch", Device = "cuda:7", Threads = 1, Machine = MachineProbe.Collect() },
            Reference = SlowSuite(19),
        }, force: false);

        var result = CliProcess.Run("check", path, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("does-not-apply", json.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("cuda:7", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("suiteHere").ValueKind);
    }

    [Fact]
    public void Check_refuses_a_missing_or_broken_profile_in_one_line()
    {
        var missing = CliProcess.Run("check", folder.File("absent.profile.json"));
        File.WriteAllText(folder.File("broken.profile.json"), "{\"schemaVersion\": 3}");
        var broken = CliProcess.Run("check", folder.File("broken.profile.json"));

        foreach (var result in new[] { missing, broken })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.False(CliProcess.HasStackTrace(result.Stderr));
        }
    }

    [Fact]
    public void Predict_transfers_a_surrogate_whose_suite_disagrees_keeps_it_with_no_transfer_and_refuses_it_when_strict()
    {
        var old = SurrogateFile.Read(PublishedSurrogate);
        var fingerprint = old.Profile.Fingerprint with { BackendVersion = TorchVersion(), Threads = 1 };
        var path = folder.File("slow.surrogate.json");
        SurrogateFile.Write(path, old with { Profile = old.Profile with { Fingerprint = fingerprint, Reference = SurrogateReference.From(SlowSuite(3)) } }, force: false);

        var moved = CliProcess.Run("predict", path, "--op", "mlp", "--tokens", "100", "--json");
        var kept = CliProcess.Run("predict", path, "--op", "mlp", "--tokens", "100", "--json", "--no-transfer");
        var strict = CliProcess.Run("predict", path, "--op", "mlp", "--tokens", "100", "--strict");
        var stale = CliProcess.Run("predict", StaleSurrogate.Write(folder.File("stale.surrogate.json")), "--op", "mlp", "--tokens", "100");

        Assert.True(moved.ExitCode == 0, moved.Stderr);
        Assert.Single(moved.Stderr.Split('\n'), line => line.Contains("transferred", StringComparison.Ordinal));
        using var movedJson = JsonDocument.Parse(moved.Stdout);
        using var keptJson = JsonDocument.Parse(kept.Stdout);
        Assert.True(movedJson.RootElement.GetProperty("transfer").GetProperty("perCall").GetDouble() < 1e-3);
        Assert.True(movedJson.RootElement.GetProperty("latencyMs").GetDouble() < keptJson.RootElement.GetProperty("latencyMs").GetDouble() / 100);
        Assert.Equal(JsonValueKind.Null, keptJson.RootElement.GetProperty("transfer").GetProperty("perCall").ValueKind);
        Assert.DoesNotContain("transferred", kept.Stderr);
        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("--strict", strict.Stderr);
        Assert.False(CliProcess.HasStackTrace(strict.Stderr));
        Assert.True(stale.ExitCode == 0, stale.Stderr);
        Assert.Single(stale.Stderr.Split('\n'), line => line.Contains("no reference suite (stale)", StringComparison.Ordinal));
    }

    [Fact]
    public void List_marks_a_schema_2_profile_stale_and_the_published_ones_not()
    {
        var dir = folder.File("published");
        Directory.CreateDirectory(dir);
        File.Copy(RepositoryFiles.SchemaTwoProfile, Path.Combine(dir, "torch-cpu-old-2t-llava-1.5-7b.profile.json"));

        var indexed = CliProcess.Run("index", "--dir", dir);
        var old = CliProcess.Run("list", "--dir", dir);
        var published = CliProcess.Run("list", "--dir", RepositoryFiles.ProfilesFolder);

        Assert.True(indexed.ExitCode == 0, indexed.Stderr);
        Assert.True(old.ExitCode == 0, old.Stderr);
        Assert.Contains("stale", old.Stdout);
        Assert.Contains("re-profile", old.Stderr);
        Assert.True(published.ExitCode == 0, published.Stderr);
        Assert.DoesNotContain("re-profile", published.Stderr);
    }

    [Fact]
    public void A_profile_run_records_the_suite_and_the_details_and_a_resumed_run_keeps_the_stored_suite()
    {
        var path = folder.File("run.profile.json");
        string[] args = ["profile", "--preset", "tiny", "--ops", "layernorm", "--tokens", "16,32", "--rounds", "3", "--threads", "1", "--out", path, "--json"];

        var first = CliProcess.Run(args);
        var firstDoc = ProfileReader.Read(path);
        var resumed = CliProcess.Run([.. args, "--resume", "--force"]);
        var secondDoc = ProfileReader.Read(path);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(ProfileDocument.CurrentSchemaVersion, firstDoc.SchemaVersion);
        Assert.NotNull(firstDoc.Fingerprint.Machine);
        Assert.Null(firstDoc.Reference!.FindProblem());
        Assert.Empty(firstDoc.Reference.Failures);
        Assert.Equal(firstDoc.Reference, secondDoc.Reference);
    }
}
