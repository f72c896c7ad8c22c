namespace Profiler.Tests;

/// <summary>Files of this repository that tests read: the published profiles and surrogates.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository's <c>profiles/</c> folder, found by walking up from the test binaries to <c>Profiler.sln</c>.</summary>
    public static string ProfilesFolder => Path.Combine(Root, "profiles");

    /// <summary>
    /// A profile as published before schema 3 (the torch llava profile of 2026-12-05, schema 2, no reference suite):
    /// files of that age still read, validate and keep their bytes, and read as stale.
    /// </summary>
    public static string SchemaTwoProfile => Path.Combine(Root, "tests", "Profiler.Tests", "Profiles", "Fixtures", "schema2.profile.json");

    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Profiler.sln"))) dir = dir.Parent;
            return dir is null
                ? throw new DirectoryNotFoundException($"no Profiler.sln above {AppContext.BaseDirectory}")
                : dir.FullName;
        }
    }
}
