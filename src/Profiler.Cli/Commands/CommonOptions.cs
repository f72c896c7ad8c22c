using System.CommandLine;
using Profiler.Core;

namespace Profiler.Cli.Commands;

/// <summary>Options that several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    /// <summary>--json: only JSON on stdout; progress and messages go to stderr.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print only JSON on stdout (progress goes to stderr)" };

    /// <summary>--no-transfer: use a surrogate's predictions as they are, even where this machine differs from its profile's.</summary>
    public static Option<bool> NoTransfer() => new("--no-transfer")
    {
        Description = "Use the surrogate as it is: no reference suite here and no transfer, even where this machine runs at other speeds than the profiled one",
    };

    /// <summary>--strict: refuse a surrogate whose reference suite disagrees with this machine's.</summary>
    public static Option<bool> Strict() => new("--strict")
    {
        Description = "Refuse (exit 2) when this machine's reference suite disagrees with the surrogate's, instead of transferring it",
    };

    /// <summary>--backend: the runtime a plan is measured on; left out, the surrogate's own.</summary>
    public static Option<string?> PlanBackend() => new("--backend")
    {
        Description = "Runtime the plans are measured on: torch (the model) or onnx (its export under each plan); default: the surrogate's backend",
    };

    /// <summary>A profile file argument.</summary>
    public static Argument<string> ProfilePath() => new("profile") { Description = "Path of a .profile.json file" };
}
