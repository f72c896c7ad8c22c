namespace Profiler.Profiles;

/// <summary>The outcome of checking a profile file: the document, or the first problem found.</summary>
public sealed record ProfileValidation
{
    private ProfileValidation(string file, string? problem, ProfileDocument? document, byte[]? bytes)
    {
        File = file;
        Problem = problem;
        Document = document;
        Bytes = bytes;
    }

    /// <summary>The file that was checked, as given.</summary>
    public string File { get; }

    /// <summary>
    /// The first problem as one line that names the bad field by JSON path, e.g.
    /// "cases[12].medianUs: -5 is not a latency (must be more than 0 µs)"; null when the file is valid.
    /// </summary>
    public string? Problem { get; }

    /// <summary>The document read from the file; null when it is not valid.</summary>
    public ProfileDocument? Document { get; }

    /// <summary>
    /// The bytes that were checked; null when the file is not valid. Copy these, not the file again: it may have
    /// changed since.
    /// </summary>
    public byte[]? Bytes { get; }

    /// <summary>True when the file is a valid profile.</summary>
    public bool IsValid => Problem is null;

    /// <summary>One line for the user: the file and its first problem, or that it is valid.</summary>
    public string Message => Problem is null ? $"{File}: valid profile" : $"{File}: {Problem}";

    internal static ProfileValidation Valid(string file, ProfileDocument document, byte[] bytes) => new(file, null, document, bytes);

    internal static ProfileValidation Invalid(string file, string problem) => new(file, problem, null, null);
}
