namespace Profiler.Core;

/// <summary>Writes a whole file or nothing: a temporary file in the same folder, flushed, then renamed over.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/> atomically. Without <paramref name="overwrite"/>, a
    /// file that appears at <paramref name="path"/> before the rename is kept and the write is refused.
    /// </summary>
    /// <exception cref="InputException">The file exists and may not be replaced, or it cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(target))
        {
            // Another process created the file after the caller checked.
            DeleteIfPresent(temporary);
            throw new InputException(ExistsMessage(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteIfPresent(temporary);
            throw new InputException($"cannot write {path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>The one-line refusal for a file that exists without --force.</summary>
    public static string ExistsMessage(string path) => $"{path} exists; use --force to replace it";

    private static void DeleteIfPresent(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more than a temporary file left behind.
        }
    }
}
