using System.Text.Json;
using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.Cli.Commands;

/// <summary>
/// The surrogate check of <c>publish</c>: the file is a surrogate (format "profiler-surrogate") whose
/// <c>profile.contentHash</c> is the content hash of the profile being published, i.e. it was fitted on exactly
/// these measurements.
/// </summary>
internal static class PublishSurrogate
{
    private const string Format = "profiler-surrogate";

    public static byte[] Check(string path, ProfileDocument profile, string profilePath)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        var bytes = File.ReadAllBytes(path);
        string? format, fittedOn;
        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            fittedOn = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("profile", out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("contentHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not JSON ({e.Message})");
        }
        if (format != Format) throw new InputException($"{path}: not a surrogate file (format is not \"{Format}\")");
        if (fittedOn is null) throw new InputException($"{path}: does not say which profile it was fitted on (profile.contentHash)");
        if (fittedOn != profile.ContentHash)
            throw new InputException($"{path} was fitted on another profile ({fittedOn}), not on {profilePath} ({profile.ContentHash})");
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
