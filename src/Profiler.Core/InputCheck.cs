namespace Profiler.Core;

/// <summary>Checks of values a user gave, each an <see cref="InputException"/> naming the option when it fails.</summary>
public static class InputCheck
{
    /// <summary><paramref name="value"/>, or an <see cref="InputException"/> naming <paramref name="name"/> when it is below 1.</summary>
    public static int Positive(int value, string name) =>
        value >= 1 ? value : throw new InputException($"{name} must be positive, got {value}");

    /// <summary>A --threads value: positive and at most this machine's logical cores.</summary>
    public static int Threads(int value) =>
        Positive(value, "--threads") <= Environment.ProcessorCount ? value
            : throw new InputException($"--threads {value} is more than this machine's {Environment.ProcessorCount} logical cores");
}
