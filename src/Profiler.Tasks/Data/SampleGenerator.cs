namespace Profiler.Tasks.Data;

/// <summary>
/// Draws samples deterministically: sample <c>i</c> of split <c>s</c> with seed <c>k</c> depends on (s, k, i) alone,
/// so any sample can be made again without the ones before it (a resumed training continues the same stream) and
/// the splits never share a random stream. Question types cycle (i mod 6), so every type is equally frequent; the
/// answer is drawn uniformly from the type's answers and scenes are redrawn until the question has that answer and
/// no tie, so every answer of a type is equally likely and the majority-answer baseline is 1/(answers of the type).
/// </summary>
public static class SampleGenerator
{
    /// <summary>Objects per scene, one of each colour.</summary>
    public static int ObjectCount => Vocabulary.Colours.Count;

    /// <summary>Sample <paramref name="index"/> of <paramref name="split"/> with seed <paramref name="seed"/>.</summary>
    public static Sample Generate(Split split, int seed, long index)
    {
        var random = new Random(StreamSeed(split, seed, index));
        var type = QuestionTypes.All[(int)(index % QuestionTypes.All.Count)];
        var answers = type.Answers();
        int wanted = answers[random.Next(answers.Count)];
        while (true)
        {
            var scene = DrawScene(random);
            var question = new Question(type, random.Next(ObjectCount));
            if (question.Answer(scene) == wanted) return new Sample(scene, question, wanted);
        }
    }

    /// <summary><paramref name="count"/> consecutive samples starting at <paramref name="start"/>.</summary>
    public static Sample[] Generate(Split split, int seed, long start, int count)
    {
        var samples = new Sample[count];
        for (int i = 0; i < count; i++) samples[i] = Generate(split, seed, start + i);
        return samples;
    }

    /// <summary>Six objects of distinct colours in distinct cells, shapes drawn independently.</summary>
    private static Scene DrawScene(Random random)
    {
        var cells = new HashSet<int>();
        var objects = new SceneObject[ObjectCount];
        for (int colour = 0; colour < ObjectCount; colour++)
        {
            int cell;
            do cell = random.Next(Scene.Side * Scene.Side);
            while (!cells.Add(cell));
            var shape = random.Next(2) == 0 ? Shape.Circle : Shape.Square;
            objects[colour] = new SceneObject(colour, shape, cell / Scene.Side, cell % Scene.Side);
        }
        return new Scene(objects);
    }

    /// <summary>A 32-bit seed from (split, seed, index) through SplitMix64's finaliser, so nearby inputs give unrelated streams.</summary>
    private static int StreamSeed(Split split, int seed, long index)
    {
        ulong z = (ulong)index ^ ((ulong)(uint)seed * 0xD1B54A32D192ED03UL) ^ ((ulong)split * 0x8CB92BA72F3D8DD7UL);
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
