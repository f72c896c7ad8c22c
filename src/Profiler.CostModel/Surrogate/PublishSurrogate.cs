using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.CostModel.Surrogate;

/// <summary>
/// The surrogate check of <c>publish</c>: the file passes every check a reader makes (<see cref="SurrogateFile"/>:
/// schema, hash, parameters, predictions over the profiled range) and its <c>profile.contentHash</c> is the
/// content hash of the profile being published, i.e. it was fitted on exactly these measurements.
/// </summary>
public static class PublishSurrogate
{
    /// <summary>The bytes to publish: read once, and checked as they are.</summary>
    public static byte[] Check(string path, ProfileDocument profile, string profilePath)
    {
        var (surrogate, bytes) = SurrogateFile.ReadChecked(path);
        if (surrogate.Profile.ContentHash != profile.ContentHash)
            throw new InputException($"{path} was fitted on another profile ({surrogate.Profile.ContentHash}), not on {profilePath} ({profile.ContentHash})");
        return bytes;
    }

    /// <summary>The content hash of the profile a surrogate file names, or null when it names none.</summary>
    public static string? FittedOn(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            return json.RootElement.TryGetProperty("profile", out var p) && p.TryGetProperty("contentHash", out var h) ? h.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
