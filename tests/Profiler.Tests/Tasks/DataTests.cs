using Profiler.Tasks.Data;

namespace Profiler.Tests.Tasks;

/// <summary>Determinism of the generator and what the renderer draws.</summary>
public class DataTests
{
    [Fact]
    public void The_same_seed_gives_byte_identical_data()
    {
        int seed = Random.Shared.Next();
        var a = Pixels(SampleGenerator.Generate(Split.Validation, seed, 1000, 40));
        var b = Pixels(SampleGenerator.Generate(Split.Validation, seed, 1000, 40));
        Assert.Equal(a, b);
        Assert.Equal(SampleGenerator.Generate(Split.Validation, seed, 1000, 40), SampleGenerator.Generate(Split.Validation, seed, 1000, 40), new SampleComparer());
    }

    [Fact]
    public void A_sample_does_not_depend_on_the_ones_before_it()
    {
        int seed = Random.Shared.Next();
        var run = SampleGenerator.Generate(Split.Train, seed, 0, 20);
        Assert.Equal(run[13], SampleGenerator.Generate(Split.Train, seed, 13), new SampleComparer());
    }

    [Fact]
    public void Splits_and_seeds_give_different_streams()
    {
        int seed = Random.Shared.Next(1, int.MaxValue);
        var train = Pixels(SampleGenerator.Generate(Split.Train, seed, 0, 20));
        Assert.NotEqual(train, Pixels(SampleGenerator.Generate(Split.Test, seed, 0, 20)));
        Assert.NotEqual(train, Pixels(SampleGenerator.Generate(Split.Validation, seed, 0, 20)));
        Assert.NotEqual(train, Pixels(SampleGenerator.Generate(Split.Train, seed - 1, 0, 20)));
    }

    [Fact]
    public void Each_object_fills_its_own_patch_in_its_colour()
    {
        var sample = SampleGenerator.Generate(Split.Test, Random.Shared.Next(), 0);
        var pixels = new float[Renderer.Patches * Renderer.PatchValues];
        Renderer.Patchify(sample.Scene, pixels);
        var occupied = sample.Scene.Objects.ToDictionary(o => o.Row * Scene.Side + o.Col);
        for (int patch = 0; patch < Renderer.Patches; patch++)
        {
            var values = pixels.AsSpan(patch * Renderer.PatchValues, Renderer.PatchValues);
            if (!occupied.TryGetValue(patch, out var o))
            {
                Assert.All(values.ToArray(), v => Assert.Equal(0f, v));
                continue;
            }
            var colour = Vocabulary.Colours[o.Colour];
            // The centre pixel is inside both shapes; a corner only inside a square.
            int centre = (3 * Renderer.PatchSide + 3) * 3;
            Assert.Equal([colour.Red, colour.Green, colour.Blue], values.Slice(centre, 3).ToArray());
            float cornerRed = values[0], cornerGreen = values[1], cornerBlue = values[2];
            Assert.Equal(o.Shape == Shape.Square, cornerRed + cornerGreen + cornerBlue > 0);
        }
    }

    private static float[] Pixels(IReadOnlyList<Sample> samples)
    {
        var pixels = new float[samples.Count * Renderer.Patches * Renderer.PatchValues];
        for (int i = 0; i < samples.Count; i++)
            Renderer.Patchify(samples[i].Scene, pixels.AsSpan(i * Renderer.Patches * Renderer.PatchValues, Renderer.Patches * Renderer.PatchValues));
        return pixels;
    }

    private sealed class SampleComparer : IEqualityComparer<Sample>
    {
        public bool Equals(Sample? x, Sample? y) =>
            x is not null && y is not null && x.Question == y.Question && x.Answer == y.Answer && x.Scene.Objects.SequenceEqual(y.Scene.Objects);

        public int GetHashCode(Sample obj) => obj.Answer;
    }
}
