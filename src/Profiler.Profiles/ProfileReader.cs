using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>Loads profile files.</summary>
public static class ProfileReader
{
    /// <summary>
    /// Reads and fully validates the profile at <paramref name="path"/> (see <see cref="ProfileValidator"/>).
    /// Throws an <see cref="InputException"/> with <see cref="ProfileValidation.Message"/> when it is not valid.
    /// </summary>
    public static ProfileDocument Read(string path) => ReadChecked(path).Document!;

    /// <summary>Like <see cref="Read"/>, with the very bytes that were validated (the one read of the file).</summary>
    public static ProfileValidation ReadChecked(string path)
    {
        var result = ProfileValidator.Validate(path);
        return result.IsValid ? result : throw new InputException(result.Message);
    }
}
