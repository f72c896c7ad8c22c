using Profiler.Tasks.Network;

namespace Profiler.Tests.Search;

/// <summary>A fact that needs the trained checkpoint the tool ships; skipped with the reason where the build has none.</summary>
public sealed class ShippedCheckpointFactAttribute : FactAttribute
{
    /// <summary>Skips unless the shipped checkpoint is in the build output.</summary>
    public ShippedCheckpointFactAttribute()
    {
        if (!File.Exists(Checkpoint.ShippedPath)) Skip = $"no shipped checkpoint at {Checkpoint.ShippedPath}";
    }
}
