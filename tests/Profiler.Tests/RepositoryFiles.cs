namespace Profiler.Tests;

/// <summary>Files of this repository that tests read: the published profiles and surrogates.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's <c>profiles/</c> folder, found by walking up from the test binaries to <c>Profiler.sln</c>.</summary>
    public static string ProfilesFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Profiler.sln"))) dir = dir.Parent;
            return dir is null
                ? throw new DirectoryNotFoundException($"no Profiler.sln above {AppContext.BaseDirectory}")
                : Path.Combine(dir.FullName, "profiles");
        }
    }
}
