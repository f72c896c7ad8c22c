namespace Profiler.Core;

/// <summary>Enum values by the names users type.</summary>
public static class EnumNames
{
    /// <summary>The value of <typeparamref name="T"/> whose <paramref name="nameOf"/> is <paramref name="name"/> (trimmed, any case); false for none.</summary>
    public static bool TryParse<T>(string name, Func<T, string> nameOf, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (!string.Equals(nameOf(candidate), name.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            value = candidate;
            return true;
        }
        value = default;
        return false;
    }
}
