namespace Profiler.Tasks.Data;

/// <summary>A question about the object of colour <paramref name="Colour"/>.</summary>
public readonly record struct Question(QuestionType Type, int Colour)
{
    /// <summary>The two word ids: the type, then the colour.</summary>
    public int[] Words() => [(int)Type, Vocabulary.ColourWord(Colour)];

    /// <summary>
    /// The answer id from the scene graph, or null when the question has no single answer (two objects equally
    /// near or far): the generator redraws such scenes.
    /// </summary>
    public int? Answer(Scene scene)
    {
        var subject = scene.Of(Colour);
        int half = Scene.Side / 2;
        switch (Type)
        {
            case QuestionType.Shape:
                return Vocabulary.ShapeAnswer(subject.Shape);
            case QuestionType.LeftRight:
                return subject.Col < half ? Vocabulary.Left : Vocabulary.Right;
            case QuestionType.TopBottom:
                return subject.Row < half ? Vocabulary.Top : Vocabulary.Bottom;
            case QuestionType.Count:
                return Vocabulary.CountAnswer(scene.Objects.Count(o => o.Shape == subject.Shape));
            case QuestionType.Nearest:
            case QuestionType.Furthest:
                return Extreme(scene, subject, Type == QuestionType.Nearest);
            default:
                throw new ArgumentOutOfRangeException(nameof(Type), Type, null);
        }
    }

    private static int? Extreme(Scene scene, SceneObject subject, bool nearest)
    {
        SceneObject? best = null;
        int bestDistance = 0;
        bool tied = false;
        foreach (var o in scene.Objects)
        {
            if (o.Colour == subject.Colour) continue;
            int d = Scene.DistanceSquared(subject, o);
            if (best is null || (nearest ? d < bestDistance : d > bestDistance))
            {
                best = o;
                bestDistance = d;
                tied = false;
            }
            else if (d == bestDistance)
            {
                tied = true;
            }
        }
        return best is null || tied ? null : Vocabulary.ShapeAnswer(best.Value.Shape);
    }
}
