using System.Globalization;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Profiler.Core;

namespace Profiler.Backends.Onnx.Runtime;

/// <summary>Execution providers this backend knows.</summary>
public enum OnnxProviderKind
{
    /// <summary>ONNX Runtime's own CPU kernels.</summary>
    Cpu,
    /// <summary>NVIDIA CUDA (package Microsoft.ML.OnnxRuntime.Gpu).</summary>
    Cuda,
    /// <summary>DirectML on Windows (package Microsoft.ML.OnnxRuntime.DirectML).</summary>
    DirectMl,
}

/// <summary>
/// A device as users name it ("cpu", "cuda:N", "dml:N") and what ONNX Runtime needs for it: the execution provider,
/// session options with fixed threads, and where tensors live. This is the one place that touches provider
/// availability, so a missing provider becomes one <see cref="InputException"/> naming the package to install.
/// </summary>
public sealed class OnnxDevice
{
    private OnnxDevice(string name, OnnxProviderKind kind, int index)
    {
        Name = name;
        Kind = kind;
        Index = index;
    }

    /// <summary>The device as given, normalised ("cpu", "cuda:0", "dml:1").</summary>
    public string Name { get; }

    /// <summary>The execution provider.</summary>
    public OnnxProviderKind Kind { get; }

    /// <summary>Device index for a GPU provider; 0 on the CPU.</summary>
    public int Index { get; }

    /// <summary>ONNX Runtime's name of the provider, as the fingerprint records it.</summary>
    public string ProviderName => Kind switch
    {
        OnnxProviderKind.Cuda => "CUDAExecutionProvider",
        OnnxProviderKind.DirectMl => "DmlExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    /// <summary>The ONNX Runtime package this build carries (the OnnxPackage build property).</summary>
    public static string BuildPackage
    {
        get
        {
            var chosen = typeof(OnnxDevice).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "OnnxPackage")?.Value;
            return chosen switch
            {
                "dml" => "Microsoft.ML.OnnxRuntime.DirectML",
                "cuda" => "Microsoft.ML.OnnxRuntime.Gpu",
                _ => "Microsoft.ML.OnnxRuntime",
            };
        }
    }

    /// <summary>Parses "cpu", "cuda", "cuda:N", "dml", "dml:N"; anything else is an <see cref="InputException"/>.</summary>
    public static OnnxDevice Parse(string device)
    {
        var name = device.Trim().ToLowerInvariant();
        if (name == "cpu") return new OnnxDevice(name, OnnxProviderKind.Cpu, 0);
        foreach (var (prefix, kind) in new[] { ("cuda", OnnxProviderKind.Cuda), ("dml", OnnxProviderKind.DirectMl) })
        {
            if (name == prefix) return new OnnxDevice(prefix + ":0", kind, 0);
            if (name.StartsWith(prefix + ":", StringComparison.Ordinal)
                && int.TryParse(name[(prefix.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                return new OnnxDevice(name, kind, index);
        }
        throw new InputException($"device '{device}' is not cpu, cuda:N or dml:N");
    }

    /// <summary>
    /// Session options for this device: the provider appended, <paramref name="threads"/> intra-op threads, one
    /// inter-op thread, sequential execution, all graph optimisations, ONNX Runtime's log at errors only. The threads
    /// are the run's shared pool with spinning (<see cref="OnnxEnvironment"/>) when it has that size, else a pool of
    /// the session's own whose idle workers sleep. Throws an <see cref="InputException"/> naming what is missing when
    /// this build's native library lacks the provider or the provider does not load.
    /// </summary>
    /// <remarks>
    /// Pools of their own do not spin: with a pool per case and spinning on (ONNX Runtime's default), the workers of
    /// the case timed last kept spinning on the second core while the next case ran, and a 16-token vit-b-16
    /// attention took 0.5 ms in one burst and 2.6–4.5 ms in the next. The shared pool has no such idle neighbour.
    /// </remarks>
    public SessionOptions CreateOptions(int threads)
    {
        // Before the first SessionOptions: that would make ONNX Runtime's default environment, without the shared pool.
        bool shared = OnnxEnvironment.SharesPool(threads);
        var options = new SessionOptions
        {
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            if (shared) options.DisablePerSessionThreads();
            else
            {
                options.IntraOpNumThreads = threads;
                options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            }
            AppendProvider(options);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Where this device's tensors live (the CPU, or the GPU's own memory).</summary>
    public OrtMemoryInfo MemoryInfo() => Kind switch
    {
        OnnxProviderKind.Cuda => new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, Index, OrtMemType.Default),
        OnnxProviderKind.DirectMl => new OrtMemoryInfo("DML", OrtAllocatorType.DeviceAllocator, Index, OrtMemType.Default),
        _ => OrtMemoryInfo.DefaultInstance,
    };

    /// <summary>True when the device runs asynchronously, so a timed run must wait for its outputs.</summary>
    public bool NeedsSynchronize => Kind != OnnxProviderKind.Cpu;

    private void AppendProvider(SessionOptions options)
    {
        if (Kind == OnnxProviderKind.Cpu) return;
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(ProviderName)) throw Missing(null);
        long logged = NativeLog.Count;
        try
        {
            if (Kind == OnnxProviderKind.Cuda) options.AppendExecutionProvider_CUDA(Index);
            else
            {
                // DirectML runs neither memory patterns nor parallel execution.
                options.EnableMemoryPattern = false;
                options.AppendExecutionProvider_DML(Index);
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or OnnxRuntimeException)
        {
            throw Missing(e, ProviderLoadError.Describe(NativeLog.Since(logged), $"{BuildPackage} {OrtEnv.Instance().GetVersionString()}"));
        }
    }

    private InputException Missing(Exception? inner, string? loaderError = null)
    {
        var (what, property, package, where) = Kind == OnnxProviderKind.Cuda
            ? ("CUDA", "cuda", "Microsoft.ML.OnnxRuntime.Gpu", "an NVIDIA GPU with the CUDA release it was built for")
            : ("DirectML", "dml", "Microsoft.ML.OnnxRuntime.DirectML", "Windows with a DirectX 12 GPU");
        string message;
        if (inner is null)
            message = $"device '{Name}': this build's ONNX Runtime ({BuildPackage}) has no {what} execution provider; install {package} by building with -p:OnnxPackage={property} on {where}";
        else if (loaderError is not null)
            message = $"device '{Name}': the {what} execution provider did not load: {loaderError}";
        else
            message = $"device '{Name}': the {what} execution provider did not load ({inner.Message.ReplaceLineEndings(" ").Trim()}); {package} needs {where}";
        return inner is null ? new InputException(message) : new InputException(message, inner);
    }
}
