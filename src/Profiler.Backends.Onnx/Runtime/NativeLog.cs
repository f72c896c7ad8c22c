using Microsoft.ML.OnnxRuntime;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// ONNX Runtime's own log messages (errors and worse), kept in memory instead of printed: the user sees our one line,
/// and a failure such as a provider library that did not load can quote the loader's words, which ONNX Runtime logs
/// but leaves out of the exception it throws.
/// </summary>
public static class NativeLog
{
    private const int Capacity = 32;
    private static readonly Queue<string> Messages = new();
    private static long received;

    /// <summary>Messages received so far, a count that only grows (pass it to <see cref="Since"/>).</summary>
    public static long Count
    {
        get
        {
            lock (Messages) return received;
        }
    }

    /// <summary>The messages received after <paramref name="count"/> (as <see cref="Count"/> gave it), oldest first, at most the last 32.</summary>
    public static IReadOnlyList<string> Since(long count)
    {
        lock (Messages)
        {
            long fresh = Math.Min(received - count, Messages.Count);
            return fresh <= 0 ? [] : Messages.Skip(Messages.Count - (int)fresh).ToArray();
        }
    }

    /// <summary>The environment's logging function: stores the message, prints nothing.</summary>
    internal static void Receive(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        lock (Messages)
        {
            Messages.Enqueue(message);
            if (Messages.Count > Capacity) Messages.Dequeue();
            received++;
        }
    }
}
