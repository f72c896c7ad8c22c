using System.Text.Json;
using Profiler.Core;
using Profiler.Tasks.Network;

namespace Profiler.Tests.Tasks;

/// <summary>A checkpoint header is read from a file like any other: its model shape has bounds, and must fit the file.</summary>
public sealed class CheckpointHeaderTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("profiler-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(ModelShape? shape)
    {
        var path = Path.Combine(folder, "edited.ckpt");
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write("profiler-vqa-checkpoint");
        writer.Write(2);
        writer.Write(JsonSerializer.Serialize(new CheckpointInfo(shape!, 10, 100, 1.0, 0.5, "edited")));
        writer.Write(new byte[4096]);
        return path;
    }

    [Theory]
    [InlineData(1 << 20, 8, 512, 4, "hidden size")]
    [InlineData(128, 4, 512, 1 << 20, "layers")]
    [InlineData(4096, 32, 11008, 32, "more than the file's")]
    public void A_shape_the_file_cannot_hold_is_refused_before_a_model_is_built(int hidden, int heads, int mlp, int layers, string expected)
    {
        var path = Write(new ModelShape(hidden, heads, mlp, layers));
        var e = Assert.Throws<InputException>(() => Checkpoint.ReadInfo(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_header_without_a_shape_is_refused()
    {
        var e = Assert.Throws<InputException>(() => Checkpoint.ReadInfo(Write(null)));
        Assert.Contains("no model shape", e.Message);
    }
}
