using System.Text.Json;
using Profiler.Core;
using TorchSharp.Modules;

namespace Profiler.Tasks.Network;

/// <summary>
/// A model checkpoint in one file: a header (format name, version, <see cref="CheckpointInfo"/> as JSON), the
/// weights in TorchSharp's own state-dictionary format, and optionally the optimiser state a resumed training needs.
/// Written atomically; nothing in it is tied to a Python or pickle version.
/// </summary>
public static class Checkpoint
{
    private const string Format = "profiler-vqa-checkpoint";
    private const int Version = 2; // 2: three coordinate features (row, column, squared norm)

    /// <summary>The checkpoint that ships with the tool (beside the assembly), used when no --checkpoint is given.</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "checkpoints", "tiny-vqa.ckpt");

    /// <summary>Writes <paramref name="model"/> (and <paramref name="optimizer"/>, for resuming) to <paramref name="path"/>.</summary>
    public static void Save(string path, VqaModel model, CheckpointInfo info, OptimizerHelper? optimizer = null)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(Version);
            writer.Write(JsonSerializer.Serialize(info));
            model.save(writer);
            writer.Write(optimizer is not null);
            optimizer?.save_state_dict(writer);
        }
        AtomicFile.Write(path, memory.ToArray());
    }

    /// <summary>
    /// Reads a checkpoint into a new model; with <paramref name="optimizer"/>, also restores its state. A missing or
    /// malformed file is an <see cref="InputException"/> naming it.
    /// </summary>
    public static (VqaModel Model, CheckpointInfo Info) Load(string path, Func<VqaModel, OptimizerHelper>? optimizer = null) =>
        Read(path, (reader, info) =>
        {
            var model = new VqaModel(info.Shape);
            model.load(reader);
            bool hasOptimizer = reader.ReadBoolean();
            if (optimizer is not null)
            {
                if (!hasOptimizer) throw new InputException($"{path}: the checkpoint has no optimiser state to resume from");
                optimizer(model).load_state_dict(reader);
            }
            return (model, info);
        });

    /// <summary>The header of a checkpoint alone, without building the model or reading its weights.</summary>
    public static CheckpointInfo ReadInfo(string path) => Read(path, (_, info) => info);

    // The weights follow the header as float32 values: a header that promises more of them than the file holds was
    // edited or truncated, and building its model first would allocate whatever it says.
    private static void CheckShape(string path, ModelShape shape, long fileBytes)
    {
        try
        {
            shape.Validated();
        }
        catch (InputException e)
        {
            throw new InputException($"{path}: the header's model shape is not possible: {e.Message}");
        }
        long weightBytes = shape.EncoderWeights * sizeof(float);
        if (weightBytes > fileBytes)
            throw new InputException($"{path}: the header describes {shape.EncoderWeights:N0} encoder weights ({weightBytes:N0} bytes), more than the file's {fileBytes:N0} bytes");
    }

    private static T Read<T>(string path, Func<BinaryReader, CheckpointInfo, T> rest)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: checkpoint not found");
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.ReadString() != Format) throw new InputException($"{path}: not a {Format} file");
            int version = reader.ReadInt32();
            if (version != Version) throw new InputException($"{path}: checkpoint version {version} is not supported (this tool reads {Version})");
            var info = JsonSerializer.Deserialize<CheckpointInfo>(reader.ReadString())
                ?? throw new InputException($"{path}: the checkpoint header is empty");
            if (info.Shape is null) throw new InputException($"{path}: the checkpoint header gives no model shape");
            CheckShape(path, info.Shape, reader.BaseStream.Length);
            return rest(reader, info);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or JsonException or ArgumentException or FormatException or NotSupportedException)
        {
            throw new InputException($"{path}: not a readable checkpoint ({e.Message.ReplaceLineEndings(" ")})");
        }
    }
}
