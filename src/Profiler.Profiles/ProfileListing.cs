using System.Text.Json;
using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>
/// The published profiles as <c>profiles/index.json</c> lists them, read without rewriting it, with what each entry's
/// file is: present, missing, or a path outside the folder (never looked up: it would say whether a file exists there).
/// </summary>
/// <param name="Folder">The folder of published profiles.</param>
/// <param name="Entries">The index's entries, in its order.</param>
/// <param name="Missing">Entries whose file is not in the folder.</param>
/// <param name="Foreign">Entries that name a path outside the folder (../../x, /etc/y) instead of a file in it.</param>
public sealed record ProfileListing(string Folder, IReadOnlyList<IndexEntry> Entries, IReadOnlySet<string> Missing, IReadOnlySet<string> Foreign)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

    /// <summary>True where <paramref name="entry"/>'s file is in the folder.</summary>
    public bool IsPresent(IndexEntry entry) => !Missing.Contains(entry.File) && !Foreign.Contains(entry.File);

    /// <summary>Reads the index of <paramref name="folder"/>; a missing or malformed one is an <see cref="InputException"/> that says how to rebuild it.</summary>
    public static ProfileListing Read(string folder)
    {
        var entries = ReadEntries(folder);
        var foreign = entries.Where(e => !IsPlainName(e.File)).Select(e => e.File).ToHashSet();
        var missing = entries.Where(e => !foreign.Contains(e.File) && !File.Exists(Path.Combine(folder, e.File))).Select(e => e.File).ToHashSet();
        return new ProfileListing(folder, entries, missing, foreign);
    }

    private static bool IsPlainName(string file) =>
        file.Length > 0 && file != "." && file != ".." && file == Path.GetFileName(file) && !file.Contains('\\');

    private static IReadOnlyList<IndexEntry> ReadEntries(string dir)
    {
        var path = Path.Combine(dir, ProfileIndex.FileName);
        if (!File.Exists(path)) throw new InputException($"{path} does not exist; publish a profile or run `profiler index --dir {dir}`");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!json.RootElement.TryGetProperty("profiles", out var profiles))
                throw new InputException($"{path}: no \"profiles\" list");
            var entries = profiles.Deserialize<List<IndexEntry>>(Options) ?? [];
            for (int i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                // Fields missing from an index of an older version read as null; these ones every version wrote.
                if (e is null || e.File is null || e.Backend is null || e.Device is null || e.Provider is null || e.Cpu is null
                    || e.Gpu is null || e.Preset is null || e.Operators is null || e.ContentHash is null)
                    throw new InputException($"{path}: profiles[{i}] is not an index entry (a field is missing); run `profiler index --dir {dir}` to rebuild it");
            }
            return entries;
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not a profile index ({e.Message})");
        }
    }
}
