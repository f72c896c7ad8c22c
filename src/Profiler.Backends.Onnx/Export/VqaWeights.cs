using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;
using static TorchSharp.torch;

namespace Profiler.Backends.Onnx.Export;

/// <summary>
/// The weights of the embedded task's <see cref="VqaModel"/> as the ONNX graphs read them: float32 arrays, linear
/// layers In×Out (the transpose of torch's Out×In), each encoder layer as the <see cref="BlockWeights"/> the
/// profiled layer graphs take.
/// </summary>
/// <param name="Shape">Layer sizes.</param>
/// <param name="PatchEmbedding">Patch pixels → hidden.</param>
/// <param name="Positions">The learned position table, patches × hidden.</param>
/// <param name="CoordinateEmbedding">Cell coordinates → hidden.</param>
/// <param name="Coordinates">The cells' coordinate features, patches × features (a constant of the model).</param>
/// <param name="Cls">The CLS token, hidden.</param>
/// <param name="Words">Word embeddings, vocabulary × hidden.</param>
/// <param name="WordPositions">Question positions, question length × hidden.</param>
/// <param name="QuestionToVisual">The question's sum → a term added to every visual token.</param>
/// <param name="Blocks">The encoder layers.</param>
/// <param name="Norm">The final layer norm.</param>
/// <param name="Head">Hidden → answer logits.</param>
public sealed record VqaWeights(
    ModelShape Shape, LinearWeights PatchEmbedding, float[] Positions, LinearWeights CoordinateEmbedding, float[] Coordinates,
    float[] Cls, float[] Words, float[] WordPositions, LinearWeights QuestionToVisual, IReadOnlyList<BlockWeights> Blocks,
    NormWeights Norm, LinearWeights Head)
{
    /// <summary>Copies the weights out of <paramref name="model"/> (its parameters and its coordinate features).</summary>
    public static VqaWeights From(VqaModel model)
    {
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Tensor Get(string name) => parameters.TryGetValue(name, out var t) ? t
            : throw new InvalidOperationException($"the model has no tensor '{name}' (known: {string.Join(", ", parameters.Keys)})");
        float[] Floats(string name) => Get(name).detach().cpu().contiguous().data<float>().ToArray();
        LinearWeights Linear(string name)
        {
            var weight = Get(name + ".weight").detach().cpu();
            int outputs = (int)weight.shape[0], inputs = (int)weight.shape[1];
            return new LinearWeights(inputs, outputs, weight.t().contiguous().data<float>().ToArray(), Floats(name + ".bias"));
        }
        NormWeights Norm(string name) => new(Floats(name + ".weight"), Floats(name + ".bias"));
        var shape = model.Shape;
        var blocks = Enumerable.Range(0, shape.Layers).Select(i => new BlockWeights(
            Norm($"blocks.{i}.norm1"),
            new AttentionWeights(shape.Heads, Linear($"blocks.{i}.attention.qkv"), Linear($"blocks.{i}.attention.proj")),
            Norm($"blocks.{i}.norm2"),
            new MlpWeights(Linear($"blocks.{i}.mlp.fc1"), Linear($"blocks.{i}.mlp.fc2")))).ToArray();
        return new VqaWeights(shape, Linear("patch_embedding"), Floats("positions"), Linear("coordinate_embedding"), VqaModel.Coordinates(Scene.Side).contiguous().data<float>().ToArray(),
            Floats("cls"), Floats("words.weight"), Floats("word_positions"), Linear("question_to_visual"), blocks, Norm("norm"), Linear("head"));
    }
}
