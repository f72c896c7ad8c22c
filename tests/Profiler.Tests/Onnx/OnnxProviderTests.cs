using Profiler.Backends.Onnx;
using Profiler.Core;
using Profiler.Tests.Cli;

namespace Profiler.Tests.Onnx;

/// <summary>
/// GPU providers on a build whose ONNX Runtime lacks them (this machine's: the CPU package): a bad-input error that
/// names the package to install and the build property, from the library and from the command line.
/// </summary>
public sealed class OnnxProviderTests
{
    [Theory]
    [InlineData("dml:0", "Microsoft.ML.OnnxRuntime.DirectML", "-p:OnnxPackage=dml")]
    [InlineData("cuda:0", "Microsoft.ML.OnnxRuntime.Gpu", "-p:OnnxPackage=cuda")]
    [InlineData("cuda", "Microsoft.ML.OnnxRuntime.Gpu", "-p:OnnxPackage=cuda")]
    public void Missing_provider_names_the_package(string device, string package, string property)
    {
        var error = Assert.Throws<InputException>(() => new OnnxBackend(device, 1));
        Assert.Contains(package, error.Message);
        Assert.Contains(property, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("tpu:0")]
    [InlineData("cuda:x")]
    [InlineData("dml:-1")]
    public void Unknown_device_is_bad_input(string device)
    {
        var error = Assert.Throws<InputException>(() => new OnnxBackend(device, 1));
        Assert.Contains("cpu, cuda:N or dml:N", error.Message);
    }

    [Fact]
    public void Cpu_fingerprint_records_runtime_version_provider_and_threads()
    {
        using var backend = new OnnxBackend("cpu", 2);
        var description = backend.Describe();
        Assert.Equal("CPUExecutionProvider", description.Provider);
        Assert.Matches(@"^ONNX Runtime \d+\.\d+\.\d+ \(Microsoft\.ML\.OnnxRuntime\)$", description.Version);
        Assert.Equal(2, description.Threads);
        Assert.Equal("2", description.ThreadSettings["ort.intra_op_num_threads"]);
        Assert.Equal("", description.GpuName);
    }

    [Fact]
    public void A_profile_run_shares_one_spinning_thread_pool_and_records_it()
    {
        using var folder = new Profiler.Tests.Profiles.TempFolder();
        var path = folder.File("pool.profile.json");
        var result = CliProcess.Run("profile", "--backend", "onnx", "--preset", "tiny", "--ops", "layernorm", "--tokens", "16", "--threads", "2", "--budget", "5s", "--out", path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("fingerprint").GetProperty("threadSettings");
        Assert.Equal("global, spinning", settings.GetProperty("ort.thread_pool").GetString());
        Assert.Equal("1", settings.GetProperty("ort.intra_op.allow_spinning").GetString());
        Assert.Equal("2", settings.GetProperty("ort.intra_op_num_threads").GetString());
    }

    [Theory]
    [InlineData("dml:0", "Microsoft.ML.OnnxRuntime.DirectML")]
    [InlineData("cuda:0", "Microsoft.ML.OnnxRuntime.Gpu")]
    public void Cli_exits_2_with_one_line_naming_the_package(string device, string package)
    {
        var folder = Directory.CreateTempSubdirectory("profiler-onnx-").FullName;
        try
        {
            var result = CliProcess.Run("profile", "--backend", "onnx", "--device", device, "--tokens", "16", "--out", Path.Combine(folder, "x.profile.json"));
            Assert.Equal(2, result.ExitCode);
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.Contains(package, lines[0]);
            Assert.False(CliProcess.HasStackTrace(result.Stderr + result.Stdout));
            Assert.Equal("", result.Stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
