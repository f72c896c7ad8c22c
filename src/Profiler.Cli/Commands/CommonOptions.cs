using System.CommandLine;

namespace Profiler.Cli.Commands;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>--json: only JSON on stdout; progress and messages go to stderr.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print only JSON on stdout (progress goes to stderr)" };

    /// <summary>A profile file argument.</summary>
    public static Argument<string> ProfilePath() => new("profile") { Description = "Path of a .profile.json file" };

    /// <summary>A count option's value, or an <see cref="Core.InputException"/> naming the option when it is below 1.</summary>
    public static int Positive(int value, string name) =>
        value >= 1 ? value : throw new Core.InputException($"{name} must be positive, got {value}");
}
