using System.Text.RegularExpressions;
using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// The canonical file name of a published profile, from its fingerprint: backend, device, provider where the device
/// does not imply it, hardware, threads and preset, e.g. <c>torch-cpu-amd-epyc-2t-tiny.profile.json</c>. Two runs
/// of the same stack on the same hardware get the same name, so publishing the second replaces the first (with --force).
/// Every part is cut to <see cref="LongestPart"/> characters, so a name from any valid profile fits a file system's
/// limit; a part that had to be cut ends in a short hash of its full text, so two long names stay apart.
/// </summary>
public static partial class PublishName
{
    private const int HardwareWords = 3;

    /// <summary>The most characters one part of the name keeps.</summary>
    public const int LongestPart = 32;

    public static string For(ProfileDocument document)
    {
        var f = document.Fingerprint;
        var device = f.Device.Replace(":", "");
        var parts = new List<string> { f.Backend, device };
        var provider = ShortProvider(f.Provider);
        if (provider != DeviceKind(f.Device)) parts.Add(provider);
        parts.Add(Hardware(f));
        parts.Add($"{f.Threads}t");
        parts.Add(document.Settings.Preset);
        return string.Join("-", parts.Select(Slug).Select(Shorten).Where(p => p.Length > 0)) + ".profile.json";
    }

    /// <summary>"CUDAExecutionProvider" → "cuda", "DmlExecutionProvider" → "dml", torch's "cpu" stays.</summary>
    private static string ShortProvider(string provider) =>
        Slug(provider.EndsWith("ExecutionProvider", StringComparison.Ordinal) ? provider[..^"ExecutionProvider".Length] : provider);

    private static string DeviceKind(string device) => Slug(device.Split(':')[0]);

    private static string Hardware(Fingerprint f)
    {
        bool gpu = DeviceKind(f.Device) != "cpu";
        if (gpu)
            return f.GpuName.Length == 0 || f.GpuName.Contains("not exposed", StringComparison.Ordinal) ? "gpu" : Words(f.GpuName);
        return Words(f.CpuModel);
    }

    /// <summary>The first words of a model name without trademarks, core counts, clock speeds and filler.</summary>
    private static string Words(string model)
    {
        var cleaned = Noise().Replace(model.ToLowerInvariant(), " ");
        var words = Slug(cleaned).Split('-', StringSplitOptions.RemoveEmptyEntries).Take(HardwareWords);
        var joined = string.Join("-", words);
        return joined.Length > 0 ? joined : "unknown";
    }

    private static string Shorten(string part)
    {
        if (part.Length <= LongestPart) return part;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(part)))[..6];
        return part[..(LongestPart - hash.Length - 1)].TrimEnd('-', '.') + "-" + hash;
    }

    private static string Slug(string text) => Separator().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"\((r|tm)\)|@.*$|\b\d+-core\b|\b(processor|cpu|with .*)\b")]
    private static partial Regex Noise();

    [GeneratedRegex(@"[^a-z0-9.]+")]
    private static partial Regex Separator();
}
