using Microsoft.ML.OnnxRuntime;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>
/// The process's one ONNX Runtime environment, made here before any other ONNX Runtime call so that its options take
/// effect (ONNX Runtime makes a default one on first use and ignores options given later):
/// <list type="bullet">
/// <item>one global intra-op thread pool, with spinning, that every session of a run shares, as a single application
/// runs ONNX Runtime. The first caller sets its size; a session that asks for another thread count (tests mix
/// counts in one process) gets a pool of its own without spinning, and the fingerprint says which it got.</item>
/// <item>ONNX Runtime's own log handed to <see cref="NativeLog"/> instead of printed, so that a user sees one line of
/// ours and a failure can quote what the native library said.</item>
/// </list>
/// </summary>
/// <remarks>
/// Per-session pools without spinning were a workaround: with a pool per case, the workers of the case timed last
/// spun on the second core while the next case ran. One pool has no idle neighbour to spin; per-session pools
/// without spinning cost small dense operators 10–19% (issue #21).
/// </remarks>
public static class OnnxEnvironment
{
    private static readonly object Gate = new();
    private static bool created;
    private static int? poolThreads;

    // Held here for the life of the process: native code calls it through a pointer the collector cannot see.
    private static readonly DOrtLoggingFunction Logger = NativeLog.Receive;

    /// <summary>The fingerprint's record of a shared pool with spinning.</summary>
    public const string GlobalPool = "global, spinning";

    /// <summary>The fingerprint's record of a pool per session without spinning.</summary>
    public const string SessionPools = "per session, no spinning";

    /// <summary>
    /// True when sessions with <paramref name="threads"/> intra-op threads run on the shared pool (made now, of that
    /// size, if no environment exists yet); false when they need pools of their own.
    /// </summary>
    public static bool SharesPool(int threads)
    {
        lock (Gate)
        {
            if (!created) Create(threads);
            return poolThreads == threads;
        }
    }

    private static void Create(int threads)
    {
        created = true;
        // Made elsewhere first (a test that opened a session directly): its options stand, and sessions keep their own pools.
        if (OrtEnv.IsCreated) return;
        using var threading = new OrtThreadingOptions
        {
            GlobalIntraOpNumThreads = threads,
            GlobalInterOpNumThreads = 1,
            GlobalSpinControl = true,
        };
        var options = new EnvironmentCreationOptions
        {
            logId = "profiler",
            logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            threadOptions = threading,
            loggingFunction = Logger,
        };
        OrtEnv.CreateInstanceWithOptions(ref options);
        poolThreads = threads;
    }
}
