using System.CommandLine;

namespace Profiler.Cli.Commands;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>--json: only JSON on stdout; progress and messages go to stderr.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print only JSON on stdout (progress goes to stderr)" };

    /// <summary>A profile file argument.</summary>
    public static Argument<string> ProfilePath() => new("profile") { Description = "Path of a .profile.json file" };
}
