using Profiler.Tests.Profiles;

namespace Profiler.Tests.Cli;

/// <summary>Output paths are checked before any work: a file where a folder belongs is refused, and nothing is written.</summary>
public sealed class PathCheckTests
{
    private static string Published => Directory.GetFiles(RepositoryFiles.ProfilesFolder, "torch-cpu-*-tiny.profile.json").First();

    [Fact]
    public void Fit_with_plots_naming_a_file_is_refused_before_the_surrogate_is_written()
    {
        using var folder = new TempFolder();
        var plots = folder.File("plots.png");
        File.WriteAllText(plots, "not a folder");
        var surrogate = folder.File("out.surrogate.json");

        var result = CliProcess.Run("fit", Published, "--out", surrogate, "--plots", plots);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--plots", result.Stderr);
        Assert.False(File.Exists(surrogate), "the surrogate was written before the refusal");
    }

    [Fact]
    public void Publish_with_dir_naming_a_file_is_refused_and_the_file_is_untouched()
    {
        using var folder = new TempFolder();
        var notADir = folder.File("index.txt");
        File.WriteAllText(notADir, "keep me");

        var result = CliProcess.Run("publish", Published, "--dir", notADir);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--dir", result.Stderr);
        Assert.Equal("keep me", File.ReadAllText(notADir));
        Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
    }
}
