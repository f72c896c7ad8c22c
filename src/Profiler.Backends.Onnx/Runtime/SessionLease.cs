using Microsoft.ML.OnnxRuntime;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>A session held by one runner; disposing returns it to the pool.</summary>
internal sealed class SessionLease(InferenceSession session, Action release) : IDisposable
{
    private bool released;

    /// <summary>The shared session.</summary>
    public InferenceSession Session { get; } = session;

    /// <inheritdoc />
    public void Dispose()
    {
        if (released) return;
        released = true;
        release();
    }
}
