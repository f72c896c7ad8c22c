using Profiler.Core;

namespace Profiler.Profiles;

/// <summary>Loads profile files.</summary>
public static class ProfileReader
{
    /// <summary>
    /// Reads and fully validates the profile at <paramref name="path"/> (see <see cref="ProfileValidator"/>).
    /// Throws an <see cref="InputException"/> with <see cref="ProfileValidation.Message"/> when it is not valid.
    /// </summary>
    public static ProfileDocument Read(string path)
    {
        var result = ProfileValidator.Validate(path);
        return result.Document ?? throw new InputException(result.Message);
    }
}
