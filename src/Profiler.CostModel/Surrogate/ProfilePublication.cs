using Profiler.Core;
using Profiler.Profiles;

namespace Profiler.CostModel.Surrogate;

/// <summary><c>publish</c>: a profile and its surrogate, checked, under the profiles folder with the canonical name.</summary>
public static class ProfilePublication
{
    /// <summary>
    /// Checks <paramref name="source"/> (and the surrogate at <paramref name="surrogatePath"/>, when given), copies them
    /// under <paramref name="dir"/> with the profile's canonical name and returns where the profile went. Nothing is
    /// written unless every check passes; a published profile is replaced only with <paramref name="force"/>, and a
    /// surrogate left there from other measurements goes with it. The index is not rebuilt here.
    /// </summary>
    public static string Publish(string source, string? surrogatePath, string dir, bool force)
    {
        // Read once: the bytes checked are the bytes copied, whatever happens to the file meanwhile.
        var checkedSource = ProfileReader.ReadChecked(source);
        var document = checkedSource.Document!;
        var surrogate = surrogatePath is null ? null : PublishSurrogate.Check(surrogatePath, document, source);
        var name = PublishName.For(document);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, name);
        var surrogateTarget = Path.Combine(dir, name[..^".profile.json".Length] + ".surrogate.json");
        bool samePlace = string.Equals(Path.GetFullPath(source), Path.GetFullPath(target), StringComparison.Ordinal);

        if (File.Exists(target) && !force && !samePlace)
            throw new InputException($"{target} is already published; use --force to replace it");
        // The index is rebuilt from every file in the folder: a broken one would stop it after the copy, so refuse now.
        foreach (var other in Directory.EnumerateFiles(dir, "*.profile.json"))
        {
            if (Path.GetFullPath(other) == Path.GetFullPath(target)) continue;
            var check = ProfileValidator.Validate(other);
            if (!check.IsValid) throw new InputException($"cannot publish while {check.Message}; fix or remove it first");
        }

        if (surrogate is not null) AtomicFile.Write(surrogateTarget, surrogate);
        else if (File.Exists(surrogateTarget) && PublishSurrogate.FittedOn(surrogateTarget) != document.ContentHash)
            File.Delete(surrogateTarget);
        if (!samePlace) AtomicFile.Write(target, checkedSource.Bytes!);
        return target;
    }
}
