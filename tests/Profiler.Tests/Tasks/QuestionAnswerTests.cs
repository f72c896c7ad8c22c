using Profiler.Tasks.Data;

namespace Profiler.Tests.Tasks;

/// <summary>Answers checked against hand-built scenes, and generated samples against their own scene graphs.</summary>
public class QuestionAnswerTests
{
    // red circle at (1, 2), green square at (1, 4), blue square at (10, 10), orange circle at (7, 3),
    // gray circle at (0, 11), yellow square at (5, 6).
    private static readonly Scene Hand = new([
        new(0, Shape.Circle, 1, 2), new(1, Shape.Square, 1, 4), new(2, Shape.Square, 10, 10),
        new(3, Shape.Circle, 7, 3), new(4, Shape.Circle, 0, 11), new(5, Shape.Square, 5, 6),
    ]);

    [Theory]
    [InlineData(QuestionType.Shape, 0, "circle")]
    [InlineData(QuestionType.Shape, 2, "square")]
    [InlineData(QuestionType.LeftRight, 0, "left")]
    [InlineData(QuestionType.LeftRight, 5, "right")]
    [InlineData(QuestionType.LeftRight, 3, "left")]
    [InlineData(QuestionType.TopBottom, 5, "top")]
    [InlineData(QuestionType.TopBottom, 3, "bottom")]
    [InlineData(QuestionType.Nearest, 0, "square")]     // green, distance² 4 (next: yellow 32)
    [InlineData(QuestionType.Nearest, 2, "square")]     // yellow, 25 + 16 = 41 (next: orange 58)
    [InlineData(QuestionType.Furthest, 0, "square")]    // blue, 81 + 64 = 145
    [InlineData(QuestionType.Furthest, 2, "circle")]    // red, 145 (next: green 117)
    [InlineData(QuestionType.Count, 0, "3")]
    [InlineData(QuestionType.Count, 1, "3")]
    public void Answers_come_from_the_scene_graph(QuestionType type, int colour, string expected)
    {
        var answer = new Question(type, colour).Answer(Hand);
        Assert.NotNull(answer);
        Assert.Equal(expected, Vocabulary.Answers[answer.Value]);
    }

    [Fact]
    public void A_tie_has_no_answer()
    {
        // Green and yellow are both at distance² 50 from gray (0, 11).
        Assert.Null(new Question(QuestionType.Nearest, 4).Answer(Hand));
    }

    [Fact]
    public void Count_includes_the_object_itself()
    {
        var allCircles = new Scene(Enumerable.Range(0, 6).Select(c => new SceneObject(c, Shape.Circle, c, c)).ToList());
        Assert.Equal("6", Vocabulary.Answers[new Question(QuestionType.Count, 3).Answer(allCircles)!.Value]);
        var oneSquare = new Scene(Enumerable.Range(0, 6).Select(c => new SceneObject(c, c == 2 ? Shape.Square : Shape.Circle, c, 0)).ToList());
        Assert.Equal("1", Vocabulary.Answers[new Question(QuestionType.Count, 2).Answer(oneSquare)!.Value]);
    }

    [Fact]
    public void Generated_samples_answer_what_their_scene_says()
    {
        int seed = Random.Shared.Next();
        foreach (var sample in SampleGenerator.Generate(Split.Train, seed, 0, 300))
        {
            Assert.Equal(sample.Answer, sample.Question.Answer(sample.Scene));
            Assert.Equal(6, sample.Scene.Objects.Select(o => o.Colour).Distinct().Count());
            Assert.Equal(6, sample.Scene.Objects.Select(o => (o.Row, o.Col)).Distinct().Count());
            Assert.Contains(sample.Answer, sample.Question.Type.Answers());
        }
    }

    [Fact]
    public void Types_cycle_and_answers_are_balanced()
    {
        int seed = Random.Shared.Next();
        var samples = SampleGenerator.Generate(Split.Test, seed, 0, 3600);
        foreach (var group in samples.GroupBy(s => s.Question.Type))
        {
            Assert.Equal(600, group.Count());
            var answers = group.Key.Answers();
            foreach (var answer in answers)
            {
                // Expected 600/k each; a fair draw stays within ±40% of it with overwhelming probability.
                int n = group.Count(s => s.Answer == answer);
                double expected = 600.0 / answers.Count;
                Assert.InRange(n, 0.6 * expected, 1.4 * expected);
            }
        }
    }
}
