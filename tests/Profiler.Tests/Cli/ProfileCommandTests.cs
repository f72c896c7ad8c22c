using System.Diagnostics;
using System.Text.Json;
using Profiler.Measurement.Store;

namespace Profiler.Tests.Cli;

/// <summary>End-to-end runs of <c>profile</c> on this machine's CPU with a handful of small cases.</summary>
public sealed class ProfileCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("profiler-e2e-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly string[] SmallRun = ["profile", "--preset", "tiny", "--ops", "layernorm,mlp", "--tokens", "16,48", "--threads", "1"];

    [Fact]
    public void Profile_writes_a_valid_file_refuses_to_overwrite_and_shows_it()
    {
        var path = Path.Combine(directory, "small.profile.json");
        var run = CliProcess.Run([.. SmallRun, "--out", path, "--json"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using (var summary = JsonDocument.Parse(run.Stdout))
            Assert.Equal(4, summary.RootElement.GetProperty("cases").GetInt32());

        Assert.Equal(0, CliProcess.Run("validate", path).ExitCode);

        var again = CliProcess.Run([.. SmallRun, "--out", path]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Stderr);

        var show = CliProcess.Run("show", path, "--json");
        Assert.Equal(0, show.ExitCode);
        using var shown = JsonDocument.Parse(show.Stdout);
        var medians = shown.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("medianUs").GetDouble()).ToList();
        Assert.Equal(4, medians.Count);
        Assert.All(medians, m => Assert.True(m > 0 && double.IsFinite(m)));
    }

    [Fact]
    public void A_default_run_measures_the_aligned_anchors_the_search_needs_and_aligned_false_leaves_them_out()
    {
        string[] run = ["profile", "--preset", "tiny", "--ops", "pool", "--tokens", "16", "--keep", "0.5", "--threads", "1", "--rounds", "3", "--json"];
        string with = Path.Combine(directory, "with.profile.json"), without = Path.Combine(directory, "without.profile.json");

        var first = CliProcess.Run([.. run, "--out", with]);
        var second = CliProcess.Run([.. run, "--aligned", "false", "--out", without]);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        static List<string> Variants(string path) =>
            Profiler.Profiles.ProfileReader.Read(path).Cases.Select(c => c.Case.Variant).Distinct().Order().ToList();
        Assert.Equal(["", "aligned"], Variants(with));
        Assert.Equal([""], Variants(without));
    }

    [Fact]
    public void A_run_killed_mid_way_resumes_and_keeps_every_committed_burst()
    {
        var path = Path.Combine(directory, "killed.profile.json");
        var store = Path.Combine(directory, "killed.raw.sqlite");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "profiler.dll"));
        foreach (var a in new[] { "profile", "--preset", "tiny", "--ops", "layernorm,mlp,attention", "--tokens", "16:96:16", "--threads", "1", "--out", path })
            start.ArgumentList.Add(a);
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (BurstCount(store) < 8 && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.False(process.HasExited, "the run finished before it could be killed");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var before = Snapshot(store);
        Assert.True(before.Count >= 8);
        Assert.False(File.Exists(path));

        var resumed = CliProcess.Run("profile", "--preset", "tiny", "--ops", "layernorm,mlp,attention", "--tokens", "16:96:16", "--threads", "1", "--out", path, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(0, CliProcess.Run("validate", path).ExitCode);
        var after = Snapshot(store);
        foreach (var (key, samples) in before)
            Assert.Equal(samples, after[key]);
    }

    [Fact]
    public void A_second_run_on_a_store_in_use_is_refused_at_once_in_one_line()
    {
        var path = Path.Combine(directory, "shared.profile.json");
        var store = Path.Combine(directory, "shared.raw.sqlite");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "profiler.dll"));
        foreach (var a in new[] { "profile", "--preset", "tiny", "--ops", "layernorm,mlp,attention", "--tokens", "16:96:16", "--threads", "1", "--out", path })
            start.ArgumentList.Add(a);
        using var first = Process.Start(start)!;
        _ = first.StandardError.ReadToEndAsync();
        _ = first.StandardOutput.ReadToEndAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (BurstCount(store) < 1 && !first.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.False(first.HasExited, "the first run finished before the second started");

            var second = CliProcess.Run("profile", "--preset", "tiny", "--ops", "layernorm,mlp,attention", "--tokens", "16:96:16", "--threads", "1", "--out", path, "--resume");

            Assert.Equal(2, second.ExitCode);
            var lines = second.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains("in use by another run", lines[0]);
            Assert.False(first.HasExited && first.ExitCode != 0, "the first run failed");
        }
        finally
        {
            if (!first.HasExited) first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
    }

    private static int BurstCount(string store) => File.Exists(store) ? Snapshot(store).Count : 0;

    private static Dictionary<(string, int), IReadOnlyList<double>> Snapshot(string store)
    {
        try
        {
            using var raw = RawStore.Open(store, hold: false);
            return raw.LoadCases().SelectMany(c => c.Value.Bursts.Select(b => ((c.Key, b.Round), b.Samples))).ToDictionary(x => x.Item1, x => x.Samples);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or Profiler.Core.InputException)
        {
            return [];
        }
    }
}
