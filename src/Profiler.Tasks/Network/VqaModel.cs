using Profiler.Core;
using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;
using Profiler.Tasks.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Tasks.Network;

/// <summary>
/// The tiny multimodal transformer of the embedded task. The sequence is [CLS, 144 visual tokens, 2 question
/// words]; the visual tokens are the only reducible ones. Its encoder layers are the profiler's own
/// <see cref="EncoderBlock"/>s, so what the profiler times is what this model runs.
/// </summary>
/// <remarks>
/// Position information comes in two forms, both added to each patch's embedding: a learned table initialised with
/// 2D sine-cosine codes (any function of the cell can be learned) and a linear map of the cell's coordinates
/// scaled to [−1, 1] (left/right and top/bottom are then a linear read-out of a token from the first step).
/// Every visual token also gets a linear map of the question (the sum of its word embeddings), so that a token's
/// own MLP can tell whether it is the object asked about: without it the model must first learn attention from the
/// question to the right object, and on this task that sat on a plateau (a first run stood at 65% after 96,000
/// questions, shape-of-colour included).
/// </remarks>
public sealed class VqaModel : nn.Module<Tensor, Tensor, Tensor>, ISearchableModel
{
    private readonly Linear patchEmbedding;
    private readonly Linear coordinateEmbedding;
    private readonly Parameter positions;
    private readonly Parameter cls;
    private readonly Embedding words;
    private readonly Parameter wordPositions;
    private readonly Linear questionToVisual;
    private readonly ModuleList<EncoderBlock> blocks;
    private readonly IReadOnlyList<EncoderBlock> layers;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly Tensor coordinates;

    /// <summary>A freshly initialised model of <paramref name="shape"/> (random weights from torch's global generator).</summary>
    public VqaModel(ModelShape shape) : base(nameof(VqaModel))
    {
        Shape = shape.Validated();
        int d = shape.Hidden;
        patchEmbedding = nn.Linear(Renderer.PatchValues, d);
        coordinateEmbedding = nn.Linear(CoordinateFeatures, d);
        positions = new Parameter(SineCosine(Scene.Side, d) * 0.1);
        cls = new Parameter(randn(1, 1, d) * 0.02);
        words = nn.Embedding(Vocabulary.WordCount, d);
        wordPositions = new Parameter(randn(Vocabulary.QuestionLength, d) * 0.02);
        questionToVisual = nn.Linear(d, d);
        blocks = new ModuleList<EncoderBlock>(Enumerable.Range(0, shape.Layers).Select(_ => new EncoderBlock(d, shape.Heads, shape.MlpSize)).ToArray());
        layers = blocks.ToList();
        norm = nn.LayerNorm(d);
        head = nn.Linear(d, Vocabulary.Answers.Count);
        coordinates = Coordinates(Scene.Side);
        // Starting scales (all of them are trained): content (colour and shape, norm ≈ 8 for an object patch) and
        // coordinates (≈ 6) above the position table (≈ 0.8) and the question (≈ 1). With position codes and the
        // question larger, layer norm drowned the content and a run learned nothing in 500 steps; with coordinates
        // at a tenth, shape reached 100% but left/right and top/bottom stayed at chance for 1,100 steps.
        using (no_grad())
        {
            patchEmbedding.weight!.mul_(2.0);
            questionToVisual.weight!.mul_(0.1);
        }
        register_module("patch_embedding", patchEmbedding);
        register_module("coordinate_embedding", coordinateEmbedding);
        register_parameter("positions", positions);
        register_parameter("cls", cls);
        register_module("words", words);
        register_parameter("word_positions", wordPositions);
        register_module("question_to_visual", questionToVisual);
        register_module("blocks", blocks);
        register_module("norm", norm);
        register_module("head", head);
        register_buffer("coordinates", coordinates, persistent: false);
    }

    /// <summary>Layer sizes.</summary>
    public ModelShape Shape { get; }

    /// <summary>The layout of the input sequence: CLS, the 12×12 patch grid, the question.</summary>
    public static TokenLayout InputLayout { get; } =
        new(1, Renderer.Patches, Vocabulary.QuestionLength, new GridShape(Scene.Side, Scene.Side));

    /// <summary>The encoder layers.</summary>
    public IReadOnlyList<EncoderBlock> Blocks => layers;

    /// <inheritdoc />
    nn.Module ISearchableModel.Module => this;

    /// <inheritdoc />
    int ISearchableModel.Layers => Shape.Layers;

    /// <inheritdoc />
    TokenLayout ISearchableModel.Layout => InputLayout;

    /// <summary>Training batch <paramref name="index"/> of the VQA task: cross-entropy over the 12 answers.</summary>
    public BatchOutcome TrainingBatch(int seed, long index, int size, IReadOnlyList<ILayerReduction?> reductions)
    {
        using var batch = Batch.From(SampleGenerator.Generate(Split.Train, seed, index * size, size));
        var logits = Forward(batch.Patches, batch.Words, reductions);
        var loss = nn.functional.cross_entropy(logits, batch.Answers);
        return new BatchOutcome(loss, logits.argmax(1).eq(batch.Answers).to(float32).mean().item<float>());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor patches, Tensor questionWords) => Forward(patches, questionWords, null);

    /// <summary>
    /// Answer logits B×12 for patches B×144×108 and question words B×2, applying <paramref name="reductions"/>[i]
    /// (when not null) inside layer i.
    /// </summary>
    public Tensor Forward(Tensor patches, Tensor questionWords, IReadOnlyList<ILayerReduction?>? reductions)
    {
        long b = patches.shape[0];
        var wordEmbeddings = words.forward(questionWords);
        var visual = Residual.Add(Residual.Add(patchEmbedding.forward(patches), positions), coordinateEmbedding.forward(coordinates));
        visual = Residual.Add(visual, questionToVisual.forward(wordEmbeddings.sum(1)).unsqueeze(1));
        var text = Residual.Add(wordEmbeddings, wordPositions);
        var tokens = cat([cls.expand(b, 1, Shape.Hidden), visual, text], 1);
        var state = new TokenState(tokens, ones(b, tokens.shape[1], dtype: tokens.dtype, device: tokens.device), InputLayout, false);
        state = ReducingEncoder.Run(layers, state, reductions);
        return head.forward(norm.forward(state.Tokens.select(1, 0)));
    }

    /// <summary>side²×d 2D sine-cosine codes: half the channels encode the row, half the column.</summary>
    private static Tensor SineCosine(int side, int hidden)
    {
        int quarter = hidden / 4;
        var codes = new float[side * side * hidden];
        for (int cell = 0; cell < side * side; cell++)
        {
            int row = cell / side, col = cell % side;
            for (int f = 0; f < quarter; f++)
            {
                double frequency = Math.Pow(10000, -(double)f / quarter);
                int at = cell * hidden;
                codes[at + f] = (float)Math.Sin(row * frequency);
                codes[at + quarter + f] = (float)Math.Cos(row * frequency);
                codes[at + 2 * quarter + f] = (float)Math.Sin(col * frequency);
                codes[at + 3 * quarter + f] = (float)Math.Cos(col * frequency);
            }
        }
        return tensor(codes, [side * side, hidden]);
    }

    /// <summary>
    /// side²×3: each cell's row r and column c scaled to [−1, 1], and r² + c² (a constant of the model, not saved in
    /// checkpoints; the ONNX export reads it here). With the squared norm, the squared
    /// distance between two cells, |p|² − 2p·q + |q|², is a bilinear form plus a key-side term, which one attention
    /// head can compute; nearest and furthest are then an arg-max of attention.
    /// </summary>
    public static Tensor Coordinates(int side)
    {
        var values = new float[side * side * CoordinateFeatures];
        for (int cell = 0; cell < side * side; cell++)
        {
            float row = 2f * (cell / side) / (side - 1) - 1f, col = 2f * (cell % side) / (side - 1) - 1f;
            values[CoordinateFeatures * cell] = row;
            values[CoordinateFeatures * cell + 1] = col;
            values[CoordinateFeatures * cell + 2] = row * row + col * col;
        }
        return tensor(values, [side * side, CoordinateFeatures]);
    }

    private const int CoordinateFeatures = 3;
}
