using System.Globalization;
using Profiler.Core;
using Profiler.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace Profiler.Measurement.Backends.Torch;

/// <summary>
/// TorchSharp (libtorch) on the CPU or a CUDA device. It times the same modules the model runs
/// (Profiler.Operators), in inference mode, with the thread count fixed on the calling thread.
/// </summary>
public sealed class TorchBackend : IBackend
{
    private readonly torch.Device device;
    private readonly int threads;

    /// <summary>
    /// Opens the backend on <paramref name="deviceName"/> ("cpu", "cuda", "cuda:N") with <paramref name="threads"/>
    /// intra-op threads. Throws an <see cref="InputException"/> naming what to install when the device is absent.
    /// </summary>
    public TorchBackend(string deviceName, int threads)
    {
        Device = deviceName.Trim().ToLowerInvariant();
        device = ParseDevice(Device);
        InputCheck.Positive(threads, "--threads");
        this.threads = threads;
        // Fixed on this thread: libtorch's pool runs slower when called from a thread other than the one that set it up.
        torch.set_num_threads(threads);
        torch.manual_seed(1);
    }

    /// <inheritdoc />
    public string Name => "torch";

    /// <inheritdoc />
    public string Device { get; }

    /// <inheritdoc />
    public IReadOnlyList<OperatorKind> SupportedOperators { get; } = TorchCaseRunner.Supported;

    /// <inheritdoc />
    public BackendDescription Describe()
    {
        var settings = new Dictionary<string, string>
        {
            ["torch.get_num_threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
            ["torch.get_num_interop_threads"] = torch.get_num_interop_threads().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var name in new[] { "OMP_NUM_THREADS", "OMP_PROC_BIND", "OMP_PLACES", "OMP_WAIT_POLICY", "MKL_NUM_THREADS", "KMP_AFFINITY", "GOMP_SPINCOUNT" })
            settings[name] = Environment.GetEnvironmentVariable(name) ?? "(unset)";
        var torchSharp = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        bool cuda = device.type == DeviceType.CUDA;
        return new BackendDescription(
            $"libtorch {torch.__version__} (TorchSharp {torchSharp})",
            cuda ? "cuda" : "cpu",
            cuda ? $"CUDA device {device.index} (name not exposed by TorchSharp)" : "",
            "", threads, settings);
    }

    /// <inheritdoc />
    public ICaseRunner Prepare(OperatorCase operatorCase, int seed) => TorchCaseRunner.Create(operatorCase.Validated(), device, seed);

    /// <inheritdoc />
    public ICaseRunner PrepareMatmul(int size, int seed) => TorchCaseRunner.Matmul(size, device, seed);

    /// <inheritdoc />
    public ICaseRunner PrepareCopy(long bytes, int seed) => TorchCaseRunner.Copy(bytes, device, seed);

    /// <inheritdoc />
    public ICaseRunner PrepareAdd(long elements, int seed) => new TorchAddRunner(elements, device, seed);

    /// <inheritdoc />
    public string DescribeAdd(long elements) => TorchAddRunner.Describe(elements);

    /// <inheritdoc />
    public void Dispose() { }

    private static torch.Device ParseDevice(string name)
    {
        if (name == "cpu") return torch.CPU;
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (name.Length > 5 && !int.TryParse(name[5..], NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw new InputException($"device '{name}' is not cpu or cuda:N");
            if (!torch.cuda.is_available())
                throw new InputException($"device '{name}': this build has no CUDA libtorch or no CUDA GPU; on a machine with one, build with -p:TorchPackage=cuda (package TorchSharp-cuda-linux or TorchSharp-cuda-windows)");
            if (index >= torch.cuda.device_count())
                throw new InputException($"device '{name}': only {torch.cuda.device_count()} CUDA device(s) present");
            return new torch.Device(DeviceType.CUDA, index);
        }
        if (name.StartsWith("dml", StringComparison.Ordinal))
            throw new InputException($"device '{name}' (DirectML) is an ONNX Runtime provider; use --backend onnx");
        throw new InputException($"device '{name}' is not cpu or cuda:N");
    }
}
