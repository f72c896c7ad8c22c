using Profiler.CostModel.Surrogate;

namespace Profiler.Tests.Check;

/// <summary>
/// The published tiny surrogate as a surrogate written before schema 3 is: no reference suite, no machine details.
/// Both are left out of the JSON when null, so the copy has the bytes such a writer gave.
/// </summary>
public static class StaleSurrogate
{
    /// <summary>The published tiny surrogate.</summary>
    public static string Published => Path.Combine(RepositoryFiles.ProfilesFolder, "torch-cpu-amd-epyc-2t-tiny.surrogate.json");

    /// <summary>Writes the stale copy to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path)
    {
        var published = SurrogateFile.Read(Published);
        var profile = published.Profile with { Reference = null, Fingerprint = published.Profile.Fingerprint with { Machine = null } };
        SurrogateFile.Write(path, published with { Profile = profile }, force: false);
        return path;
    }
}
