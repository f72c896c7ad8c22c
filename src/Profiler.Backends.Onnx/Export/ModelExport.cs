using Profiler.Backends.Onnx.Graphs;
using Profiler.Core;
using Profiler.Operators.Plans;
using Profiler.Tasks.Data;
using Profiler.Tasks.Network;

namespace Profiler.Backends.Onnx.Export;

/// <summary>
/// The embedded task's <see cref="VqaModel"/> under a discrete plan as one ONNX model, written by the project's own
/// writer: the encoder layers from <see cref="TransformerGraphs"/> and each reduction from
/// <see cref="ReductionGraphs"/>, the graphs the ONNX backend profiles, so that the profile prices what the export
/// runs (<see cref="ReductionStepGraph"/> lists what differs). Token counts are fixed by the plan, and so is the
/// batch (the reductions' index maps are built for it).
/// </summary>
/// <remarks>
/// Inputs: <c>patches</c>, float32 B×144×108 (each patch's pixels, as Batch makes them), and <c>words</c>, int64 B×2
/// (the question's word ids). Output: <c>logits</c>, float32 B×12 (one per answer; the answer is their arg-max).
/// Attention runs unfused (softmax of scaled logits), where torch runs its fused routine unless a score reads the
/// probabilities: the same arithmetic in another order, as the profiled attention graph.
/// </remarks>
public static class ModelExport
{
    /// <summary>Name of the patch-pixel input.</summary>
    public const string PatchesInput = "patches";

    /// <summary>Name of the question-word input.</summary>
    public const string WordsInput = "words";

    /// <summary>Name of the answer-logit output.</summary>
    public const string LogitsOutput = "logits";

    /// <summary>Largest batch an export is built for.</summary>
    public const int MaxBatch = 1024;

    /// <summary>
    /// The model of <paramref name="model"/> under <paramref name="plan"/> for batches of <paramref name="batch"/>
    /// questions. A plan the model cannot run is an <see cref="InputException"/> (see <see cref="ExportPlan.Resolve"/>).
    /// </summary>
    public static OnnxModel Build(VqaModel model, ReductionPlan plan, int batch = 1)
    {
        CheckBatch(batch);
        var steps = ExportPlan.Resolve(plan, model.Shape.Layers, VqaModel.InputLayout);
        return Build(VqaWeights.From(model), steps, batch);
    }

    /// <summary>The model of <paramref name="weights"/> with the resolved <paramref name="steps"/> (one entry per layer).</summary>
    public static OnnxModel Build(VqaWeights weights, IReadOnlyList<ExportStep?> steps, int batch)
    {
        CheckBatch(batch);
        var shape = weights.Shape;
        if (steps.Count != shape.Layers) throw new ArgumentException($"give one step (or null) per layer: {shape.Layers}, not {steps.Count}");
        var layout = VqaModel.InputLayout;
        int d = shape.Hidden;
        var g = new GraphBuilder("tiny_vqa");
        var cells = new CellGraphs(g, batch);
        var patches = g.Input(PatchesInput, OnnxElementType.Float, OnnxDim.Fixed(batch), OnnxDim.Fixed(Renderer.Patches), OnnxDim.Fixed(Renderer.PatchValues));
        var words = g.Input(WordsInput, OnnxElementType.Int64, OnnxDim.Fixed(batch), OnnxDim.Fixed(Vocabulary.QuestionLength));
        var state = new GraphState(Embed(g, weights, patches, words, batch), g.Weight("sizes", Enumerable.Repeat(1f, batch * layout.Count).ToArray(), batch, layout.Count),
            null, layout, null);
        for (int i = 0; i < shape.Layers; i++)
        {
            var block = weights.Blocks[i];
            var step = steps[i];
            string hint = $"layer{i}";
            var attention = TransformerGraphs.AttentionParts(g, TransformerGraphs.LayerNorm(g, state.Tokens, block.Norm1, hint + "_norm1"),
                block.Attention, hint + "_attention", state.Bias, keys: step?.Operator == OperatorKind.Merge);
            state = state with { Tokens = g.Node("Add", [state.Tokens, attention.Output]) };
            if (step is not null)
            {
                bool positionsLater = steps.Skip(i + 1).Any(s => s?.ReadsPositions == true);
                state = ReductionStepGraph.Apply(cells, state, step, attention, d, positionsLater);
            }
            var mlp = TransformerGraphs.Mlp(g, TransformerGraphs.LayerNorm(g, state.Tokens, block.Norm2, hint + "_norm2"), block.Mlp, hint + "_mlp");
            state = state with { Tokens = g.Node("Add", [state.Tokens, mlp]) };
        }
        var first = g.Node("Gather", [state.Tokens, g.Int64Scalar("cls_row", 0)], OnnxAttribute.Of("axis", 1L));
        var logits = TransformerGraphs.Linear(g, TransformerGraphs.LayerNorm(g, first, weights.Norm, "norm"), weights.Head, "head");
        g.Output(logits, LogitsOutput, OnnxDim.Fixed(batch), OnnxDim.Fixed(weights.Head.Out));
        return g.Build();
    }

    /// <summary>
    /// VqaModel.Forward before its layers: [CLS, visual tokens, question words], B×N×C, with the additions in torch's
    /// order (patch embedding + position table + coordinate embedding + question term; words + word positions).
    /// </summary>
    private static string Embed(GraphBuilder g, VqaWeights w, string patches, string words, int batch)
    {
        int d = w.Shape.Hidden, cells = Renderer.Patches;
        var wordEmbeddings = g.Node("Gather", [g.Weight("words", w.Words, w.Words.Length / d, d), words], OnnxAttribute.Of("axis", 0L));
        var coordinates = g.Weight("coordinates", w.Coordinates, cells, w.Coordinates.Length / cells);
        var visual = g.Node("Add", [
            g.Node("Add", [TransformerGraphs.Linear(g, patches, w.PatchEmbedding, "patch_embedding"), g.Weight("positions", w.Positions, cells, d)]),
            TransformerGraphs.Linear(g, coordinates, w.CoordinateEmbedding, "coordinate_embedding")]);
        var question = g.Node("ReduceSum", [wordEmbeddings, g.Int64s("axes", 1)], OnnxAttribute.Of("keepdims", 0L));
        visual = g.Node("Add", [visual, g.Node("Unsqueeze", [TransformerGraphs.Linear(g, question, w.QuestionToVisual, "question_to_visual"), g.Int64s("axes", 1)])]);
        var text = g.Node("Add", [wordEmbeddings, g.Weight("word_positions", w.WordPositions, Vocabulary.QuestionLength, d)]);
        var cls = g.Node("Expand", [g.Weight("cls", w.Cls, 1, 1, d), g.Int64s("cls_shape", batch, 1, d)]);
        return g.Node("Concat", [cls, visual, text], OnnxAttribute.Of("axis", 1L));
    }

    private static void CheckBatch(int batch)
    {
        if (batch < 1 || batch > MaxBatch) throw new InputException($"--batch must be in 1..{MaxBatch}, got {batch}");
    }
}
