using System.Runtime;

namespace Profiler.Operators;

/// <summary>
/// Holds off the garbage collector for one step of tensor work. TorchSharp passes a temporary <c>Scalar</c>'s native
/// handle (every <c>tensor * 2.0</c>) to libtorch, and nothing keeps the managed object alive through the call: a
/// collection started by another thread (the progress display) can run its finaliser mid-call, and libtorch then
/// reads freed memory ("Exception raised from toDouble", "alpha must not be a floating point number"). A step that
/// allocates less than the budget runs without any collection; past it the collector runs as usual and the pause
/// simply ends. Steps last long enough (a batch) that the collection the pause may start with costs little.
/// </summary>
public readonly struct GcPause : IDisposable
{
    private readonly bool started;

    private GcPause(bool started) => this.started = started;

    /// <summary>Managed bytes one step may allocate without a collection.</summary>
    public const long Budget = 64L << 20;

    /// <summary>Starts a pause, unless one is running already or the runtime refuses one.</summary>
    public static GcPause Begin()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return new GcPause(false);
        try
        {
            return new GcPause(GC.TryStartNoGCRegion(Budget));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return new GcPause(false);
        }
    }

    /// <summary>Ends the pause if it is still in force (a step past the budget has ended it already).</summary>
    public void Dispose()
    {
        if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
    }
}
