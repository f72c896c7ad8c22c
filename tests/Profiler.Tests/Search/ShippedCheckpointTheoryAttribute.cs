using Profiler.Tasks.Network;

namespace Profiler.Tests.Search;

/// <summary>A theory that needs the trained checkpoint the tool ships; skipped with the reason where the build has none.</summary>
public sealed class ShippedCheckpointTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips unless the shipped checkpoint is in the build output.</summary>
    public ShippedCheckpointTheoryAttribute()
    {
        if (!File.Exists(Checkpoint.ShippedPath)) Skip = $"no shipped checkpoint at {Checkpoint.ShippedPath}";
    }
}
