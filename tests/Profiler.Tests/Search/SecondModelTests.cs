using Profiler.Core;
using Profiler.Operators.Layers;
using Profiler.Operators.Reduction;
using Profiler.Search;
using Profiler.Tasks.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Profiler.Tests.Search;

/// <summary>
/// The search on a model that is not the embedded VQA model, through the public API alone: a small image classifier
/// (CLS and a 4×4 grid of patch tokens, two encoder layers, four classes: the quadrant of the one bright patch).
/// </summary>
public class SecondModelTests
{
    /// <summary>A ViT-style classifier on synthetic 4×4-patch images, implementing <see cref="ISearchableModel"/>.</summary>
    private sealed class QuadrantClassifier : nn.Module<Tensor, Tensor>, ISearchableModel
    {
        public const int Side = 4, PatchValues = 6, Classes = 4;
        public static readonly ModelShape Shape = new(32, 2, 64, 2);

        private readonly Linear embedding;
        private readonly Parameter positions;
        private readonly Parameter cls;
        private readonly ModuleList<EncoderBlock> blocks;
        private readonly LayerNorm norm;
        private readonly Linear head;
        private readonly List<EncoderBlock> layers;

        public QuadrantClassifier() : base(nameof(QuadrantClassifier))
        {
            embedding = nn.Linear(PatchValues, Shape.Hidden);
            positions = new Parameter(randn(Side * Side, Shape.Hidden) * 0.5);
            cls = new Parameter(randn(1, 1, Shape.Hidden) * 0.02);
            blocks = new ModuleList<EncoderBlock>(Enumerable.Range(0, Shape.Layers).Select(_ => new EncoderBlock(Shape.Hidden, Shape.Heads, Shape.MlpSize)).ToArray());
            norm = nn.LayerNorm(Shape.Hidden);
            head = nn.Linear(Shape.Hidden, Classes);
            layers = blocks.ToList();
            register_module("embedding", embedding);
            register_parameter("positions", positions);
            register_parameter("cls", cls);
            register_module("blocks", blocks);
            register_module("norm", norm);
            register_module("head", head);
        }

        public nn.Module Module => this;

        public int Layers => Shape.Layers;

        public TokenLayout Layout { get; } = new(1, Side * Side, 0, new GridShape(Side, Side));

        public override Tensor forward(Tensor patches) => Forward(patches, null);

        public Tensor Forward(Tensor patches, IReadOnlyList<ILayerReduction?>? reductions)
        {
            long b = patches.shape[0];
            var tokens = cat([cls.expand(b, 1, Shape.Hidden), embedding.forward(patches) + positions], 1);
            var state = new TokenState(tokens, ones(b, tokens.shape[1]), Layout, false);
            state = ReducingEncoder.Run(layers, state, reductions);
            return head.forward(norm.forward(state.Tokens.select(1, 0)));
        }

        public BatchOutcome TrainingBatch(int seed, long index, int size, IReadOnlyList<ILayerReduction?> reductions)
        {
            var (patches, labels) = Images(seed * 1_000_003L + index, size);
            var logits = Forward(patches, reductions);
            return new BatchOutcome(nn.functional.cross_entropy(logits, labels), logits.argmax(1).eq(labels).to(float32).mean().item<float>());
        }

        /// <summary>Noise patches with one bright patch; the label is its quadrant (0–3).</summary>
        public static (Tensor Patches, Tensor Labels) Images(long seed, int size)
        {
            var random = new Random((int)(seed % int.MaxValue));
            var values = new float[size * Side * Side * PatchValues];
            for (int i = 0; i < values.Length; i++) values[i] = 0.2f * random.NextSingle();
            var labels = new long[size];
            for (int i = 0; i < size; i++)
            {
                int cell = random.Next(Side * Side);
                for (int v = 0; v < PatchValues; v++) values[(i * Side * Side + cell) * PatchValues + v] += 1f;
                labels[i] = (cell / Side >= Side / 2 ? 2 : 0) + (cell % Side >= Side / 2 ? 1 : 0);
            }
            return (tensor(values, [size, Side * Side, PatchValues]), tensor(labels));
        }
    }

    [Fact]
    public void A_second_model_is_searched_to_a_flops_budget_through_the_public_api()
    {
        int seed = Random.Shared.Next();
        manual_seed(seed);
        using var model = new QuadrantClassifier();
        // A short training first, so that the search reduces a model that does its task.
        using (var optimizer = optim.Adam(model.parameters(), 0.01))
        {
            var none = new ILayerReduction?[model.Layers];
            for (int step = 0; step < 60; step++)
            {
                using var scope = NewDisposeScope();
                var outcome = model.TrainingBatch(seed, step, 32, none);
                optimizer.zero_grad();
                outcome.Loss.backward();
                optimizer.step();
            }
        }

        var preset = new Preset("quadrants", QuadrantClassifier.Shape, QuadrantClassifier.Side, 1, [17], [17]);
        var cost = new FlopsCost(preset);
        var space = SearchSpace.For(model);
        double unreduced = cost.Of(Profiler.Operators.Plans.ReductionPlan.None), target = 0.6 * unreduced;
        var settings = new SearchSettings { Target = target, Steps = 40, BatchSize = 16, LearningRate = 0.1, Score = ScoreKind.Cls, Seed = seed };
        var (parameters, history) = Searcher.Run(model, cost, settings, space);
        using var _ = parameters;
        var plan = Searcher.Discretise(parameters, cost, target, ScoreKind.Cls, fillBudget: true);

        Assert.Equal(settings.Steps, history.Count);
        Assert.All(history, h => Assert.True(double.IsFinite(h.Loss) && h.Accuracy is >= 0 and <= 1, $"seed {seed}: step {h.Step} loss {h.Loss}, accuracy {h.Accuracy}"));
        Assert.NotEmpty(plan.Steps);
        Assert.True(cost.Of(plan) <= target, $"seed {seed}: {plan.Describe()} costs {cost.Of(plan)} GFLOP over the budget {target}");
        Assert.All(plan.Steps, s => Assert.InRange(s.Layer, 0, model.Layers - 1));
        Assert.True(model.parameters().All(p => !p.requires_grad), "the search leaves the weights frozen as it found them");

        // The discrete plan runs on the model: its layers end with the kept tokens, and it still classifies.
        var (patches, labels) = QuadrantClassifier.Images(seed + 1L, 8);
        var reductions = FixedReduction.ForPlan(plan, model.Layers);
        using (no_grad())
        {
            var logits = model.Forward(patches, reductions);
            Assert.Equal([8L, QuadrantClassifier.Classes], logits.shape);
        }
        foreach (var r in reductions) r?.Dispose();
    }
}
